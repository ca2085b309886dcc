import CountersignCrypto
import Foundation

/// `countersign keys rekey SLUG`: emergency onion re-keying of one petition, for when its key may have leaked.
///
/// Draws a fresh layer key `K'`, wraps it under the primary master key, and in one store transaction maps every
/// stored pseudonym `P` of the petition to `HMAC(K', P)` (``PseudonymLayer``). The petition keeps its base key
/// and salt, so new signs compute the same layered pseudonym and duplicates are still caught.
public enum PetitionRekey {
    /// Re-keys `slug` with the keyring in `keys`; returns how many stored pseudonyms changed.
    @discardableResult
    public static func run(_ slug: PetitionSlug, keys: KeyringFile, log: AuditLog, now: Date) async throws -> Int {
        try await run(slug, keyring: keys.load(), log: log, now: now)
    }

    /// Re-keys `slug`; returns how many stored pseudonyms changed.
    @discardableResult
    public static func run(_ slug: PetitionSlug, keyring: Keyring, log: AuditLog, now: Date) async throws -> Int {
        guard let petition = try await log.store.petition(slug) else { throw StoreError.unknownPetition(slug) }
        let key = try SecretBytes.random(count: PseudonymGenerator.keyLength)
        let layer = try PseudonymLayer(key: key)
        // The new layer's index is bound into its wrapping; the store refuses it if another re-key added a layer meanwhile.
        let index = petition.keyLayers.count
        let wrapped = try WrappedPetitionKey.wrap(key, slug: slug, keyring: keyring, layer: index)
        let changed = try await log.store.rekey(slug, after: index, layer: wrapped) { pseudonym in
            try layer.apply(pseudonym)
        }
        try await PetitionEvents.record(in: log.store, now: now)
        return changed
    }
}
