import CountersignCore
import CountersignCrypto
@testable import CountersignServer
import Foundation
import Logging
import Testing

@Suite("Key maintenance inside serve")
struct KeyMaintenanceTests {
    @Test("with rotation on, keys past their cryptoperiod rotate, petition keys are re-wrapped, and the service adopts the keyring")
    func rotatesExpiredKeys() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("countersign-km-\(UUID().uuidString)").path
        let file = KeyringFile(directory: folder)
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let keyring = try file.initialize(now: start)
        let store = InMemorySignatureStore()
        let catalog = try PetitionCatalog(petitions: [PetitionDefinition(slug: APIFixture.slug, title: "T", text: "X", regions: [])])
        try await PetitionProvisioning.provision(catalog, into: store, keyring: keyring, now: start)
        let service = try SigningService(store: store, keyring: keyring)
        let log = AuditLog(store: store, origin: "petitions.example.org/audit")
        let maintenance = KeyMaintenance(file: file, service: service, log: log, rotateExpired: true, interval: .seconds(60), logger: Logger(label: "test"))

        try await maintenance.tick(now: start.addingTimeInterval(86_400))
        #expect(try file.load() == keyring)
        let oldToken = try keyring.primary(.token)
        // 91 days on, only the token key (90-day cryptoperiod) is due.
        try await maintenance.tick(now: start.addingTimeInterval(91 * 86_400))
        let rotated = try file.load()
        #expect(try rotated.primary(.token).kid != oldToken.kid)
        #expect(rotated.key(kid: oldToken.kid)?.status == .verifyOnly)
        #expect(try rotated.primary(.master).kid == keyring.primary(.master).kid)
        #expect(service.keyring == rotated)
        // A year and a day on, the master rotates too and the petition key moves under it.
        try await maintenance.tick(now: start.addingTimeInterval(366 * 86_400))
        let master = try file.load().primary(.master)
        #expect(master.kid != (try keyring.primary(.master).kid))
        #expect(try await store.petition(APIFixture.slug)?.wrappedKey?.kid == master.kid)
        let types = try await store.auditEntries(0..<store.auditEntryCount()).compactMap(AuditEvent.init(text:)).map(\.type)
        #expect(types.filter { $0 == "key-rotated" }.count == 3)
        #expect(types.contains("master-rewrapped"))
    }
}
