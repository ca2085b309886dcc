import CountersignCore
import CountersignCrypto
@testable import CountersignServer
import CountersignTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing

/// The store work that depends on a signer's state runs after the answer, so that the answer's timing cannot tell an
/// address that signed from one that did not, nor one past its mail cap (which writes nothing) from one below it.
@Suite("Response timing")
struct ResponseTimingTests {
    /// An in-memory store whose sign and withdrawal requests wait until ``open()`` is called.
    final class GatedStore: ForwardingSignatureStore {
        let inner = InMemorySignatureStore()
        private let gate = Mutex<[CheckedContinuation<Void, Never>]?>([])

        func open() {
            let waiting = gate.withLock { gate in
                defer { gate = nil }
                return gate ?? []
            }
            waiting.forEach { $0.resume() }
        }

        private func pass() async {
            await withCheckedContinuation { continuation in
                let closed = gate.withLock { gate -> Bool in
                    guard gate != nil else { return false }
                    gate?.append(continuation)
                    return true
                }
                if !closed { continuation.resume() }
            }
        }

        func sign(_ request: PendingRequest) async throws(StoreError) -> SignOutcome {
            await pass()
            return try await inner.sign(request)
        }

        func requestWithdrawal(_ request: PendingRequest) async throws(StoreError) -> WithdrawalRequestOutcome {
            await pass()
            return try await inner.requestWithdrawal(request)
        }
    }

    @Test("sign and withdrawal requests are answered before the store learns anything about the signer")
    func answeredBeforeStoreWork() async throws {
        let store = GatedStore()
        let keyring = try Keyring.generate(now: Date())
        try await PetitionProvisioning.provision(
            PetitionCatalog(petitions: [PetitionDefinition(slug: APIFixture.slug, title: "T", text: "Text", regions: [])]), into: store,
            keyring: keyring, now: Date())
        let service = try SigningService(store: store, keyring: keyring)
        let transport = CapturingTransport()
        let queue = MailQueue(transport: transport, publicURL: "https://petitions.example.org", logger: Logger(label: "test"))
        let app = Application(router: try await buildRouter(service: service, mail: queue, publicURL: "https://petitions.example.org", limiter: nil))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await queue.run() }
            defer { group.cancelAll() }
            try await app.test(.router) { client in
                // While the gate is closed, a request that waited for the store would never be answered.
                let signed = try await client.execute(
                    uri: "/api/petitions/\(APIFixture.slug.value)/signatures", method: .post, headers: APIFixture.jsonHeaders,
                    body: APIFixture.json(["email": "a@example.org"]))
                #expect(signed.status == .accepted)
                let withdrawal = try await client.execute(
                    uri: "/api/petitions/\(APIFixture.slug.value)/withdrawals", method: .post, headers: APIFixture.jsonHeaders,
                    body: APIFixture.json(["email": "b@example.org"]))
                #expect(withdrawal.status == .accepted)
                #expect(transport.delivered.isEmpty, "no mail before the store work")
                store.open()
                for _ in 0..<200 where transport.delivered.count < 2 { try await Task.sleep(for: .milliseconds(10)) }
                #expect(transport.delivered.map(\.kindName).sorted() == ["confirm", "not-signed"])
            }
        }
    }
}
