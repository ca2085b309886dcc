import CountersignCrypto
import Foundation

/// After a master rotation, re-wraps every petition key (and re-keying layer) still wrapped under an older
/// master key with the primary one, one store transaction per batch. Then, for every retired master key that
/// still has material and wraps nothing any more, logs one `master-rewrapped previous=OLD kid=NEW petitions=N`
/// entry: the proof an auditor needs before its `key-destroyed`. Safe to run again after an interruption.
public enum MasterRewrap {
    /// Progress after each batch: petitions done, petitions to do.
    public typealias Progress = @Sendable (_ done: Int, _ total: Int) -> Void

    /// Re-wraps; returns how many petitions moved to the primary master key.
    @discardableResult
    public static func run(
        keyring: Keyring, log: AuditLog, batchSize: Int = 500, now: Date, progress: Progress = { _, _ in }
    ) async throws -> Int {
        let primary = try keyring.primary(.master)
        let size = max(1, batchSize)
        var movedFrom: [UInt32: Int] = [:]
        var done = 0
        var stale = try await staleKeys(log.store, primary: primary.kid)
        let total = stale.count
        progress(0, total)
        // A petition re-keyed or shredded during a batch is skipped by the store; the next pass picks it up.
        for _ in 0..<3 where !stale.isEmpty {
            for start in stride(from: 0, to: stale.count, by: size) {
                let batch = stale[start..<min(start + size, stale.count)]
                var changes: [WrappedKeyChange] = []
                for (petition, keys) in batch {
                    // keys[0] is the base key, keys[n] the layer n - 1.
                    let rewrapped = try keys.enumerated().map { index, wrapped throws(PetitionKeyError) in
                        let layer = index == 0 ? nil : index - 1
                        return try WrappedPetitionKey.wrap(
                            wrapped.unwrap(slug: petition.slug, keyring: keyring, layer: layer), slug: petition.slug, keyring: keyring, layer: layer)
                    }
                    changes.append(WrappedKeyChange(slug: petition.slug, from: keys, to: rewrapped))
                }
                let changed = Set(try await log.store.rewrapPetitionKeys(changes))
                for (petition, keys) in batch where changed.contains(petition.slug) {
                    for kid in Set(keys.map(\.kid)) where kid != primary.kid { movedFrom[kid, default: 0] += 1 }
                }
                done += changed.count
                progress(min(done, total), total)
            }
            stale = try await staleKeys(log.store, primary: primary.kid)
        }
        let inUse = Set(stale.flatMap { $0.keys.map(\.kid) })
        let retired = keyring.keys(.master).filter { $0.status == .verifyOnly && $0.material != nil && !inUse.contains($0.kid) }
        try await log.store.appendAuditEntries { [movedFrom] existing, _ in
            let logged = Set(existing.compactMap(AuditEvent.init(text:)).filter { $0.kind == .masterRewrapped }.compactMap { $0["previous"] })
            return retired.filter { !logged.contains($0.kidHex) }.map {
                AuditEvent.masterRewrapped(
                    previous: $0, current: primary, petitions: movedFrom[$0.kid] ?? 0, date: AuditEvent.date(now, after: existing)).text
            }
        }
        return done
    }

    /// Petitions with a key or layer not wrapped under `primary`, with those keys (base first).
    private static func staleKeys(_ store: any SignatureStore, primary: UInt32) async throws -> [(petition: PetitionRecord, keys: [WrappedPetitionKey])] {
        try await store.petitions().compactMap { petition in
            guard let base = petition.wrappedKey else { return nil }
            let keys = [base] + petition.keyLayers
            return keys.allSatisfy({ $0.kid == primary }) ? nil : (petition, keys)
        }
    }
}
