import CountersignCore
import CountersignCrypto
import CountersignTestSupport
import Foundation
import Synchronization
import Testing

/// A store that re-keys its petition between the service's read of the petition and its sign, once: the race
/// that ``SigningService`` must survive by computing the pseudonym again.
final class RekeyBeforeSignStore: ForwardingSignatureStore {
    let inner = InMemorySignatureStore()
    let layerKey: SecretBytes
    let keyring: Keyring
    private let armed = Mutex(true)

    init(keyring: Keyring, layerKey: SecretBytes) {
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
}

@Suite("Signing across an emergency re-key")
struct RekeyRetryTests {
    @Test("a sign whose petition is re-keyed under it is retried with the new layering and stores the layered pseudonym")
    func retriesAfterRekey() async throws {
        let keyring = try Keyring.generate(now: Date())
        let store = RekeyBeforeSignStore(keyring: keyring, layerKey: SecretBytes(copying: Array(repeating: 5, count: 32)))
        let slug = try PetitionSlug("clean-air")
        try await PetitionProvisioning.provision(
            PetitionCatalog(petitions: [PetitionDefinition(slug: slug, title: "T", text: "X", regions: [])]), into: store, keyring: keyring,
            now: Date())
        let service = try SigningService(store: store, keyring: keyring)
        let mail = try #require(try await service.sign(slug: slug, email: "jane@example.org", region: nil))
        guard case .confirm(let token) = mail.kind else { Issue.record("no confirmation link"); return }
        #expect(try await store.petition(slug)?.keyLayers.count == 1)
        #expect(try await service.confirm(token: token).outcome.counted)
        // The pseudonym on record is the layered one: signing again is recognised.
        let again = try #require(try await service.sign(slug: slug, email: "Jane@Example.org", region: nil))
        guard case .alreadySigned = again.kind else { Issue.record("the re-keyed signer was not recognised"); return }
        #expect(try await store.aggregates(slug).total == 1)
    }
}
