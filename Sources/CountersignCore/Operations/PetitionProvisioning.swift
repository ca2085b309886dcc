import CountersignCrypto
import Foundation

/// Puts the petitions of a catalog into a store: each new petition gets a random 16-byte salt and a random
/// 32-byte key, wrapped under the keyring's primary master key. Petitions already in the store keep theirs.
/// Their creation is then logged (``PetitionEvents``).
public enum PetitionProvisioning {
    /// Creates the catalog's petitions that the store does not have yet; returns their slugs.
    @discardableResult
    public static func provision(
        _ catalog: PetitionCatalog, into store: any SignatureStore, keyring: Keyring, now: Date
    ) async throws -> [PetitionSlug] {
        let created = try await create(catalog, into: store, keyring: keyring, now: now)
        try await PetitionEvents.record(in: store, now: now)
        return created
    }

    /// `countersign petition provision`: provisions the `*.petition` files of `directory` with the keyring in `keys`.
    /// Returns the slugs created and how many petitions the folder holds.
    public static func provision(
        directory: String, keys: KeyringFile, into store: any SignatureStore, now: Date
    ) async throws -> (created: [PetitionSlug], total: Int) {
        let catalog = try PetitionCatalog.load(directory: directory)
        return (try await provision(catalog, into: store, keyring: try keys.load(), now: now), catalog.petitions.count)
    }

    private static func create(
        _ catalog: PetitionCatalog, into store: any SignatureStore, keyring: Keyring, now: Date
    ) async throws -> [PetitionSlug] {
        var created: [PetitionSlug] = []
        for definition in catalog.petitions {
            guard try await store.petition(definition.slug) == nil else { continue }
            let key = try SecretBytes.random(count: PseudonymGenerator.keyLength)
            let record = PetitionRecord(
                slug: definition.slug, title: definition.title, text: definition.text, regions: definition.regions,
                salt: try SecureRandom.bytes(count: PseudonymGenerator.saltLength),
                wrappedKey: try WrappedPetitionKey.wrap(key, slug: definition.slug, keyring: keyring), createdAt: now)
            do {
                try await store.createPetition(record)
                created.append(definition.slug)
            } catch {
                // Another instance sharing the database may have created it first; its key and salt win.
                guard error.code == .duplicatePetition else { throw error }
            }
        }
        return created
    }
}
