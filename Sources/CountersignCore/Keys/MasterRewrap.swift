import CountersignCrypto
import Foundation

/// After a master rotation, re-wraps every petition key (and re-keying layer) still wrapped under an older
/// master key with the primary one, one store transaction per batch, then logs one `master-rewrapped` entry
/// per old key. Safe to run again after an interruption: it picks up what is left.
public enum MasterRewrap {
    /// Progress after each batch: petitions done, petitions to do.
    public typealias Progress = @Sendable (_ done: Int, _ total: Int) -> Void

    /// Re-wraps; returns how many petitions moved to the primary master key.
    @discardableResult
    public static func run(
        keyring: Keyring, log: AuditLog, batchSize: Int = 500, now: Date, progress: Progress = { _, _ in }
    ) async throws -> Int {
        let primary = try keyring.primary(.master)
        let stale = try await log.store.petitions().compactMap { petition -> (PetitionRecord, [WrappedPetitionKey])? in
            guard let base = petition.wrappedKey else { return nil }
            let keys = [base] + petition.keyLayers
            return keys.allSatisfy({ $0.kid == primary.kid }) ? nil : (petition, keys)
        }
        var moved: [UInt32: Int] = [:]
        var done = 0
        progress(0, stale.count)
        for start in stride(from: 0, to: stale.count, by: max(1, batchSize)) {
            let batch = stale[start..<min(start + max(1, batchSize), stale.count)]
            var changes: [WrappedKeyChange] = []
            for (petition, keys) in batch {
                let rewrapped = try keys.map { wrapped throws(PetitionKeyError) in
                    try WrappedPetitionKey.wrap(wrapped.unwrap(slug: petition.slug, keyring: keyring), slug: petition.slug, keyring: keyring)
                }
                changes.append(WrappedKeyChange(slug: petition.slug, from: keys, to: rewrapped))
                for kid in Set(keys.map(\.kid)) where kid != primary.kid { moved[kid, default: 0] += 1 }
            }
            _ = try await log.store.rewrapPetitionKeys(changes)
            done += batch.count
            progress(done, stale.count)
        }
        for (kid, count) in moved.sorted(by: { $0.key < $1.key }) {
            guard let previous = keyring.key(kid: kid) else { continue }
            try await log.append(AuditEvent.masterRewrapped(previous: previous, current: primary, petitions: count, date: now))
        }
        return stale.count
    }

    /// Master keys other than the primary that still wrap a petition key or layer.
    public static func keysInUse(store: any SignatureStore) async throws -> Set<UInt32> {
        Set(try await store.petitions().flatMap { petition in ([petition.wrappedKey].compactMap { $0 } + petition.keyLayers).map(\.kid) })
    }
}
