import CountersignCrypto
import Foundation

/// `countersign petition shred SLUG`: destroys a closed petition's key and every pseudonym once the retention period
/// after closing has passed, in a way a backup cannot undo. The aggregates stay, so the final count and the exports
/// survive.
///
/// Deleting the wrapped key is not enough: copies of it stay in backups, PostgreSQL dead tuples and WAL, and old SQLite
/// `-wal` frames, and the master key that opens them lives for a year. So, each step logged:
/// 1. the pseudonyms and the wrapped key are deleted (`petition-shredded`);
/// 2. the master key rotates (`key-rotated purpose=master`), unless a master introduced after the shred is primary
///    already;
/// 3. every other petition is re-wrapped under the new master (`master-rewrapped`);
/// 4. every master key that could have wrapped the shredded key (``ShredObligation``) is destroyed (`key-destroyed`),
///    unless `deferDestroy`: then `serve`'s key maintenance destroys them once the new master is in use everywhere;
/// 5. the store drops the copies it keeps of deleted rows (``PetitionKeyStore/purgeDeletedCopies()``).
///
/// Safe to run again after an interruption: each step checks what the log and the keyring already show.
public enum PetitionShredding {
    /// The default retention after close: 30 days, time for a recount or a dispute.
    public static let defaultRetention: TimeInterval = 30 * 86_400

    /// What a shred did.
    public struct Outcome: Sendable {
        /// The primary master key after the shred.
        public let master: KeyEntry
        /// How many other petitions were re-wrapped under it.
        public let rewrapped: Int
        /// The master keys destroyed now.
        public let destroyed: [KeyEntry]
        /// The master keys left for `serve` to destroy (`deferDestroy`).
        public let deferred: [String]
    }

    /// Shreds `slug`, or throws what stops it (not closed, retention not over, a keyring or store failure).
    @discardableResult
    public static func run(
        _ slug: PetitionSlug, retention: TimeInterval = defaultRetention, keys: KeyringFile, log: AuditLog, deferDestroy: Bool = false,
        now: Date
    ) async throws -> Outcome {
        guard let petition = try await log.store.petition(slug) else { throw StoreError.unknownPetition(slug) }
        if petition.keyShreddedAt == nil {
            _ = try KeyChangeAdmission(petition).admitShred(at: now)
            guard let closed = petition.closedAt else { throw StoreError.shredBeforeClose(slug, petition.state) }
            let due = closed.addingTimeInterval(retention)
            guard now >= due else { throw StoreError.retentionNotOver(slug, closed: closed, due: due) }
            // Every master key in the keyring is on the log before the shred entry, so that the shred's obligation names it.
            try await KeyEvents.record(keys.load(), in: log, now: now)
            try await log.store.shredPetitionKey(slug, at: now)
        }
        try await PetitionEvents.record(in: log.store, now: now)

        var outstanding = try await outstandingMasters(log)
        if outstanding.contains(try keys.load().primary(.master).kidHex) {
            _ = try KeyRotation.rotate(.master, file: keys, now: now)
        }
        let (rewrapped, master) = try await KeyRotation.complete(file: keys, log: log, rewrap: true, now: now)
        var destroyed: [KeyEntry] = []
        if !deferDestroy {
            destroyed = try await destroyOutstanding(file: keys, log: log, now: now)
            outstanding = try await outstandingMasters(log)
        }
        try await log.store.purgeDeletedCopies()
        return Outcome(master: master, rewrapped: rewrapped, destroyed: destroyed, deferred: outstanding)
    }

    /// Destroys every master key a logged shred still needs destroyed, except the primary; returns them. `serve`'s key
    /// maintenance calls this for shreds run with `--defer-destroy`, once its own keyring has the new master.
    @discardableResult
    public static func destroyOutstanding(file: KeyringFile, log: AuditLog, now: Date) async throws -> [KeyEntry] {
        let outstanding = try await outstandingMasters(log)
        guard !outstanding.isEmpty else { return [] }
        let keyring = try file.load()
        let primary = try keyring.primary(.master)
        var destroyed: [KeyEntry] = []
        for kid in outstanding where kid != primary.kidHex {
            guard let key = keyring.keys(.master).first(where: { $0.kidHex == kid }), key.status != .destroyed else { continue }
            destroyed.append(try await KeyDestruction.destroy(kid: key.kid, file: file, log: log, now: now))
        }
        return destroyed
    }

    private static func outstandingMasters(_ log: AuditLog) async throws -> [String] {
        let entries = try await log.store.auditEntries(0..<log.store.auditEntryCount())
        return ShredObligation.outstandingMasters(in: entries.map(AuditEvent.init(text:)))
    }
}
