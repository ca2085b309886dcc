import CountersignCore
import CountersignCrypto
import Foundation
import Testing

@Suite("Petition events caught up from the store")
struct PetitionEventsTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test("a change whose command died before logging it is logged by the next catch-up, once")
    func catchesUp() async throws {
        let store = InMemorySignatureStore()
        let slug = try PetitionSlug("clean-air")
        let key = try WrappedPetitionKey.wrap(SecretBytes(copying: Array(repeating: 7, count: 32)), slug: slug, masterKid: 1, master: SecretBytes(copying: Array(repeating: 9, count: 32)))
        try await store.createPetition(PetitionRecord(
            slug: slug, title: "Clean air", text: "T", regions: [], salt: Array(repeating: 1, count: 16), wrappedKey: key, createdAt: Self.now))
        #expect(try await PetitionEvents.record(in: store, now: Self.now).map(\.text) == ["type=petition-open slug=clean-air date=2027-01-15"])
        // Paused, re-keyed and closed with nothing logged, as if each command died right after its transaction.
        try await store.setState(.paused, of: slug, at: Self.now)
        _ = try await store.rekey(slug, after: 0, layer: key) { $0 }
        try await store.setState(.closed, of: slug, at: Self.now)
        try await store.shredPetitionKey(slug, at: Self.now)
        let caught = try await PetitionEvents.record(in: store, now: Self.now).map(\.type)
        #expect(caught == ["petition-closed", "petition-shredded"])
        #expect(try await PetitionEvents.record(in: store, now: Self.now).isEmpty)
        // The re-key is not logged once the layers are shredded: the record no longer shows it.
        let resumed = try PetitionSlug("quiet-streets")
        try await store.createPetition(PetitionRecord(
            slug: resumed, title: "Quiet", text: "T", regions: [], salt: Array(repeating: 2, count: 16), wrappedKey: key, createdAt: Self.now))
        _ = try await store.rekey(resumed, after: 0, layer: key) { $0 }
        #expect(try await PetitionEvents.record(in: store, now: Self.now).map(\.text) == [
            "type=petition-open slug=quiet-streets date=2027-01-15", "type=petition-rekeyed slug=quiet-streets layers=1 date=2027-01-15",
        ])
    }
}
