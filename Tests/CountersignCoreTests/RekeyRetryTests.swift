import CountersignCore
import CountersignCrypto
import Foundation
import Synchronization
import Testing

/// A store that re-keys its petition between the service's read of the petition and its sign, once: the race
/// that ``SigningService`` must survive by computing the pseudonym again.
final class RekeyBeforeSignStore: SignatureStore {
    let inner = InMemorySignatureStore()
    let layerKey: [UInt8]
    let keyring: Keyring
    private let armed = Mutex(true)

    init(keyring: Keyring, layerKey: [UInt8]) {
        self.keyring = keyring
        self.layerKey = layerKey
    }

    func sign(_ request: PendingRequest) async throws(StoreError) -> SignOutcome {
        if armed.withLock({ let was = $0; $0 = false; return was }) {
            do {
                let layer = try PseudonymLayer(key: layerKey)
                let wrapped = try WrappedPetitionKey.wrap(layerKey, slug: request.slug, keyring: keyring, layer: 0)
                _ = try await inner.rekey(request.slug, after: 0, layer: wrapped) { try layer.apply($0) }
            } catch {
                throw StoreError(.database, "test re-key failed: \(error)")
            }
        }
        return try await inner.sign(request)
    }

    func createPetition(_ petition: PetitionRecord) async throws(StoreError) { try await inner.createPetition(petition) }
    func petitions() async throws(StoreError) -> [PetitionRecord] { try await inner.petitions() }
    func petition(_ slug: PetitionSlug) async throws(StoreError) -> PetitionRecord? { try await inner.petition(slug) }
    func petitionTotals() async throws(StoreError) -> [PetitionTotal] { await inner.petitionTotals() }
    func setState(_ state: PetitionState, of slug: PetitionSlug, at date: Date) async throws(StoreError) {
        try await inner.setState(state, of: slug, at: date)
    }
    func confirm(tokenID: TokenID, at date: Date) async throws(StoreError) -> ConfirmOutcome { try await inner.confirm(tokenID: tokenID, at: date) }
    func requestWithdrawal(_ request: PendingRequest) async throws(StoreError) -> WithdrawalRequestOutcome {
        try await inner.requestWithdrawal(request)
    }
    func withdraw(tokenID: TokenID, at date: Date) async throws(StoreError) -> WithdrawOutcome { try await inner.withdraw(tokenID: tokenID, at: date) }
    func aggregates(_ slug: PetitionSlug) async throws(StoreError) -> Aggregates { try await inner.aggregates(slug) }
    func recount(_ slug: PetitionSlug) async throws(StoreError) -> Recount { try await inner.recount(slug) }
    func purgeExpired(at date: Date) async throws(StoreError) -> Int { await inner.purgeExpired(at: date) }
    func shredPetitionKey(_ slug: PetitionSlug, at date: Date) async throws(StoreError) { try await inner.shredPetitionKey(slug, at: date) }
    func rewrapPetitionKeys(_ changes: [WrappedKeyChange]) async throws(StoreError) -> [PetitionSlug] { await inner.rewrapPetitionKeys(changes) }
    func rekey(
        _ slug: PetitionSlug, after layers: Int, layer: WrappedPetitionKey, transform: @escaping @Sendable (Pseudonym) throws -> Pseudonym
    ) async throws(StoreError) -> Int {
        try await inner.rekey(slug, after: layers, layer: layer, transform: transform)
    }
    func createAccessToken(_ token: AccessToken) async throws(StoreError) { await inner.createAccessToken(token) }
    func accessToken(hash: [UInt8]) async throws(StoreError) -> AccessToken? { await inner.accessToken(hash: hash) }
    func accessTokens() async throws(StoreError) -> [AccessToken] { await inner.accessTokens() }
    func revokeAccessToken(id: String, at date: Date) async throws(StoreError) -> Bool { try await inner.revokeAccessToken(id: id, at: date) }
    func recordRelease(_ release: Release, budgetMicros: Int64) async throws(StoreError) {
        try await inner.recordRelease(release, budgetMicros: budgetMicros)
    }
    func releases(_ slug: PetitionSlug) async throws(StoreError) -> [Release] { await inner.releases(slug) }
    func appendAuditEntries(
        derivedFrom derive: @escaping @Sendable ([String], [PetitionRecord]) throws -> [String]
    ) async throws(StoreError) -> [String] {
        try await inner.appendAuditEntries(derivedFrom: derive)
    }
    func auditEntries(_ range: Range<Int>) async throws(StoreError) -> [String] { await inner.auditEntries(range) }
    func auditEntryCount() async throws(StoreError) -> Int { await inner.auditEntryCount() }
}

@Suite("Signing across an emergency re-key")
struct RekeyRetryTests {
    @Test("a sign whose petition is re-keyed under it is retried with the new layering and stores the layered pseudonym")
    func retriesAfterRekey() async throws {
        let keyring = try Keyring.generate(now: Date())
        let store = RekeyBeforeSignStore(keyring: keyring, layerKey: Array(repeating: 5, count: 32))
        let slug = try PetitionSlug("clean-air")
        try await PetitionProvisioning.provision(
            PetitionCatalog(petitions: [PetitionDefinition(slug: slug, title: "T", text: "X", regions: [])]), into: store, keyring: keyring,
            now: Date())
        let service = try SigningService(store: store, keyring: keyring)
        let mail = try #require(try await service.sign(slug: slug, email: "jane@example.org", region: nil))
        guard case .confirm(let token) = mail.kind else { Issue.record("no confirmation link"); return }
        #expect(try await store.petition(slug)?.keyLayers.count == 1)
        #expect(try await service.confirm(token: token) == .confirmed)
        // The pseudonym on record is the layered one: signing again is recognised.
        let again = try #require(try await service.sign(slug: slug, email: "Jane@Example.org", region: nil))
        guard case .alreadySigned = again.kind else { Issue.record("the re-keyed signer was not recognised"); return }
        #expect(try await store.aggregates(slug).total == 1)
    }
}
