import CountersignCore
import CountersignTestSupport
@testable import CountersignServer
import Foundation
import Logging
import ServiceLifecycle
import Testing

@Suite("Pending purge")
struct PendingPurgeTests {
    @Test("expired pending rows are deleted on the timer, and the service ends cleanly on graceful shutdown")
    func purges() async throws {
        let store = InMemorySignatureStore()
        let slug = try PetitionSlug("p")
        try await store.createPetition(PetitionRecord(
            slug: slug, title: "P", text: "T", regions: [], salt: Array(repeating: 1, count: 16), wrappedKey: nil, createdAt: Date()))
        let expired = try TokenID(bytes: Array(repeating: 1, count: 16))
        let live = try TokenID(bytes: Array(repeating: 2, count: 16))
        _ = try await store.sign(PendingRequest(
            slug: slug, pseudonym: Pseudonym(bytes: Array(repeating: 1, count: 32)), tokenID: expired, expiresAt: Date().addingTimeInterval(-3601)))
        _ = try await store.sign(PendingRequest(
            slug: slug, pseudonym: Pseudonym(bytes: Array(repeating: 2, count: 32)), tokenID: live, expiresAt: Date().addingTimeInterval(3600)))

        let purge = PendingPurge(store: store, interval: .milliseconds(20), logger: Logger(label: "test"))
        let group = ServiceGroup(services: [purge], gracefulShutdownSignals: [], cancellationSignals: [], logger: Logger(label: "test"))
        async let running: Void = group.run()
        try await Task.sleep(for: .milliseconds(100))
        await group.triggerGracefulShutdown()
        try await running

        #expect(try await store.confirm(tokenID: expired, at: Date(), commit: anyReceipt) == .unknownToken)
        #expect(try await store.confirm(tokenID: live, at: Date(), commit: anyReceipt).counted)
    }
}
