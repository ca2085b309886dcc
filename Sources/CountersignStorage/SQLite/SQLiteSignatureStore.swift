import CountersignCore
import Foundation
import GRDB

/// The embedded default ``SignatureStore``: one SQLite file in WAL mode, through GRDB's `DatabasePool`.
///
/// Reads run concurrently on WAL snapshots. Writes go through a ``GroupCommitWriter``, so concurrent
/// requests share a transaction and an fsync. `PRAGMA secure_delete` is on, so a withdrawn or shredded
/// pseudonym is overwritten in the file rather than left in a free page.
public struct SQLiteSignatureStore: SignatureStore {
    /// How much a commit promises (`PRAGMA synchronous`). `Docs/storage.md` explains the trade.
    public enum Durability: String, Sendable, CaseIterable {
        /// A committed transaction survives a crash of the process; the last few may be lost if the
        /// machine loses power before the WAL is checkpointed. The default, as for most WAL deployments.
        case normal
        /// Every commit is fsynced: it survives power loss too, at the cost of one fsync per group commit.
        case full
    }

    public let path: String
    private let pool: DatabasePool
    private let writer: GroupCommitWriter
    /// Spent proof-of-work challenges, in memory: one `serve` process takes a file's signatures.
    private let spentChallenges = SpentChallenges()

    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    ///
    /// Refuses, without writing anything, a file that is not a SQLite database or is damaged, and a
    /// database whose schema is newer than this build knows.
    public init(path: String, durability: Durability = .normal) async throws(StoreError) {
        self.path = path
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = \(durability == .full ? "FULL" : "NORMAL")")
            try db.execute(sql: "PRAGMA secure_delete = ON")
        }
        do {
            let folder = (path as NSString).deletingLastPathComponent
            if !folder.isEmpty {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            }
            pool = try DatabasePool(path: path, configuration: configuration)
            let migrator = SQLiteSchema.migrator
            let unknown = try await pool.read { db in
                try migrator.appliedIdentifiers(db).subtracting(migrator.migrations)
            }
            guard unknown.isEmpty else {
                throw StoreError(.newerSchema, "\(path) has schema version \(unknown.sorted().joined(separator: ", ")), newer than this Countersign knows (up to \(migrator.migrations.last ?? "none")); upgrade Countersign")
            }
            try migrator.migrate(pool)
        } catch {
            throw Self.storeError(error, path: path)
        }
        writer = GroupCommitWriter(pool: pool)
    }

    // MARK: - Petitions

    public func createPetition(_ petition: PetitionRecord) async throws(StoreError) {
        try await write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM petition WHERE slug = ?", arguments: [petition.slug.value]) == nil else {
                throw StoreError.duplicatePetition(petition.slug)
            }
            try db.execute(
                sql: """
                    INSERT INTO petition (slug, title, body, regions, salt, wrapped_key, key_layers, state, created_at, closed_at, key_shredded_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    petition.slug.value, petition.title, petition.text, try Self.json(petition.regions), Data(petition.salt),
                    petition.wrappedKey.map { Data($0.bytes) }, StoredValue.layers(petition.keyLayers), petition.state.rawValue,
                    StoredValue.seconds(petition.createdAt),
                    petition.closedAt.map(StoredValue.seconds), petition.keyShreddedAt.map(StoredValue.seconds),
                ])
        }
    }

    public func petitions() async throws(StoreError) -> [PetitionRecord] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM petition ORDER BY slug").map(Self.petition)
        }
    }

    public func petitionTotals() async throws(StoreError) -> [PetitionTotal] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM petition ORDER BY slug").map { row in
                PetitionTotal(petition: try Self.petition(row), total: row["total"])
            }
        }
    }

    public func petition(_ slug: PetitionSlug) async throws(StoreError) -> PetitionRecord? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM petition WHERE slug = ?", arguments: [slug.value]).map(Self.petition)
        }
    }

    public func admission(_ slug: PetitionSlug, region: String?) async throws(StoreError) -> PetitionAdmission? {
        try await read { db in try Self.admission(db, slug, region: region)?.1 }
    }

    public func setState(_ state: PetitionState, of slug: PetitionSlug, at date: Date) async throws(StoreError) {
        try await write { db in
            let (id, current) = try Self.petitionState(db, slug)
            guard try current.transition(to: state, of: slug) else { return }
            try db.execute(
                sql: "UPDATE petition SET state = ?, closed_at = CASE WHEN ? = 'closed' THEN ? ELSE closed_at END WHERE id = ?",
                arguments: [state.rawValue, state.rawValue, StoredValue.seconds(date), id])
        }
    }

    // MARK: - Signing

    public func sign(_ request: PendingRequest) async throws(StoreError) -> SignOutcome {
        try await write { db in
            let (id, admission) = try Self.admission(db, request)
            let admitted = try admission.admit(request, for: .confirm)
            let signed = try Self.signed(db, petitionID: id, request.pseudonym)
            try Self.upsertPending(db, admitted, petitionID: id, purpose: .confirm)
            return signed ? .alreadyConfirmed : .pending
        }
    }

    public func confirm(
        tokenID: TokenID, at date: Date, commit: @escaping @Sendable (PetitionSlug) throws -> ReceiptCommitment
    ) async throws(StoreError) -> ConfirmOutcome {
        try await write { db in
            let pending = try Self.pending(db, tokenID, purpose: .confirm)
            switch try PendingConsumption(pending?.row, at: date) {
            case .refused(let refusal):
                return ConfirmOutcome(refusal)
            case .consume(let day, let region):
                guard let pending, let pseudonym = pending.pseudonym else { return .unknownToken }
                let commitment = try StoreError.calling("the receipt commitment") { try commit(pending.row.slug) }
                try Self.consume(db, tokenID)
                try db.cachedStatement(sql: """
                        INSERT INTO signature (petition_id, pseudonym, day, region, commitment) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
                        """)
                    .execute(arguments: [pending.petitionID, pseudonym, day, region, Data(commitment.bytes)])
                guard db.changesCount == 1 else { return .alreadyConfirmed }
                try Self.count(db, petitionID: pending.petitionID, .confirmation(day: day, region: region))
                let epoch = try Self.logCount(db, petitionID: pending.petitionID, PendingCountEvent(.confirm(commitment), hour: date))
                return .confirmed(slug: pending.row.slug, epoch: epoch)
            }
        }
    }

    public func requestWithdrawal(_ request: PendingRequest) async throws(StoreError) -> WithdrawalRequestOutcome {
        try await write { db in
            let (id, admission) = try Self.admission(db, request)
            let admitted = try admission.admit(request, for: .withdraw)
            let signed = try Self.signed(db, petitionID: id, request.pseudonym)
            try Self.upsertPending(db, admitted, petitionID: id, purpose: .withdraw)
            return signed ? .pending : .noSignature
        }
    }

    public func withdraw(tokenID: TokenID, at date: Date) async throws(StoreError) -> WithdrawOutcome {
        try await write { db in
            let pending = try Self.pending(db, tokenID, purpose: .withdraw)
            switch try PendingConsumption(pending?.row, at: date) {
            case .refused(let refusal):
                return WithdrawOutcome(refusal)
            case .consume:
                guard let pending, let pseudonym = pending.pseudonym else { return .unknownToken }
                try Self.consume(db, tokenID)
                let delete = try db.cachedStatement(
                    sql: "DELETE FROM signature WHERE petition_id = ? AND pseudonym = ? RETURNING day, region, commitment")
                guard let signature = try Row.fetchOne(delete, arguments: [pending.petitionID, pseudonym])
                else { return .alreadyWithdrawn }
                try Self.count(db, petitionID: pending.petitionID, .withdrawal(day: signature["day"], region: signature["region"]))
                if let commitment = signature["commitment"] as Data? {
                    _ = try Self.logCount(
                        db, petitionID: pending.petitionID, PendingCountEvent(.withdraw(try ReceiptCommitment(bytes: Array(commitment))), hour: date))
                }
                return .withdrawn
            }
        }
    }

    // MARK: - Counts

    public func aggregates(_ slug: PetitionSlug) async throws(StoreError) -> Aggregates {
        try await read { db in try Self.maintained(db, petitionID: Self.petitionState(db, slug).0) }
    }

    /// Both sides are read in one read transaction, which WAL makes a snapshot.
    public func recount(_ slug: PetitionSlug) async throws(StoreError) -> Recount {
        try await read { db in
            let (id, _) = try Self.petitionState(db, slug)
            return Recount(
                maintained: try Self.maintained(db, petitionID: id),
                recounted: Aggregates(
                    total: try Int.fetchOne(db, sql: "SELECT count(*) FROM signature WHERE petition_id = ?", arguments: [id]) ?? 0,
                    byDay: try Self.cells(db, sql: "SELECT day, count(*) FROM signature WHERE petition_id = ? GROUP BY day", id),
                    byRegion: try Self.cells(
                        db, sql: "SELECT region, count(*) FROM signature WHERE petition_id = ? AND region IS NOT NULL GROUP BY region", id)))
        }
    }

    private static func maintained(_ db: Database, petitionID id: Int64) throws -> Aggregates {
        Aggregates(
            total: try Int.fetchOne(db, sql: "SELECT total FROM petition WHERE id = ?", arguments: [id]) ?? 0,
            byDay: try cells(db, sql: "SELECT day, count FROM day_count WHERE petition_id = ?", id),
            byRegion: try cells(db, sql: "SELECT region, count FROM region_count WHERE petition_id = ?", id))
    }

    // MARK: - Housekeeping

    public func purgeExpired(at date: Date) async throws(StoreError) -> Int {
        try await write { db in
            try db.execute(sql: "DELETE FROM pending WHERE expires_at <= ?", arguments: [StoredValue.seconds(date)])
            return db.changesCount
        }
    }

    public func spend(_ spent: SpentChallenge, at date: Date) -> Bool {
        spentChallenges.spend(spent, at: date)
    }

    public func shredPetitionKey(_ slug: PetitionSlug, at date: Date) async throws(StoreError) {
        try await write { db in
            let (id, admission) = try Self.keyChangeAdmission(db, slug)
            let shred = try admission.admitShred(at: date)
            try db.execute(sql: "DELETE FROM signature WHERE petition_id = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM pending WHERE petition_id = ?", arguments: [id])
            try db.execute(
                sql: "UPDATE petition SET wrapped_key = NULL, key_layers = x'', key_shredded_at = coalesce(key_shredded_at, ?) WHERE id = ?",
                arguments: [StoredValue.seconds(date), id])
            if let shred { _ = try Self.logCount(db, petitionID: id, shred) }
        }
    }

    // MARK: - Count log

    public func closeCountEpoch(_ slug: PetitionSlug, at now: Date, policy: CountEpochPolicy) async throws(StoreError) -> ClosedCountEpoch? {
        // 1. Decide, and open the next epoch; or find a close cut short, which is finished first.
        let closing: (id: Int64, number: Int)? = try await write { db in
            guard let petition = try Row.fetchOne(db, sql: "SELECT id, state, count_epoch FROM petition WHERE slug = ?", arguments: [slug.value])
            else { throw StoreError.unknownPetition(slug) }
            let id: Int64 = petition["id"]
            let number: Int = petition["count_epoch"]
            if try Self.closeUnfinished(db, petitionID: id, openEpoch: number) { return (id, number - 1) }
            // Three index lookups, whatever the epoch holds: `count_pending (petition_id, epoch, hour)` and the shreds' index.
            let oldest = try Int64.fetchOne(
                db, sql: "SELECT min(hour) FROM count_pending WHERE petition_id = ? AND epoch = ?", arguments: [id, number])
            let shred = try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM count_pending WHERE petition_id = ? AND epoch = ? AND kind = 3)",
                arguments: [id, number]) ?? false
            let events = try Int.fetchOne(
                db, sql: "SELECT count(*) FROM (SELECT 1 FROM count_pending WHERE petition_id = ? AND epoch = ? LIMIT ?)",
                arguments: [id, number, policy.minimumEvents]) ?? 0
            let open = OpenCountEpoch(
                number: number, oldestHour: oldest.map(StoredValue.date), holdsShred: shred, events: events,
                acceptingSignatures: try StoredValue.state(petition["state"]).takes(.confirm))
            guard CountEpoch.decide(open, now: now, policy: policy) == .close else { return nil }
            try db.execute(sql: "UPDATE petition SET count_epoch = ? WHERE id = ?", arguments: [number + 1, id])
            return (id, number)
        }
        guard let closing else { return nil }
        // 2. The closed epoch's events, from a snapshot that no writer waits for, into log order in memory.
        let epoch = try await read { db in
            var epoch = ClosingCountEpoch(number: closing.number)
            let rows = try Row.fetchCursor(
                db, sql: "SELECT kind, commitment FROM count_pending WHERE petition_id = ? AND epoch = ?", arguments: [closing.id, closing.number])
            while let row = try rows.next() { epoch.add(try StoredCountEvent.kind(row[0], commitment: row[1])) }
            epoch.sort()
            return epoch
        }
        // 3. Their leaves, a slice to a transaction, after what is appended already; then the new size, published.
        var step: CountEpochAppend
        repeat {
            step = try await write { db in
                let end = try Self.countEntryEnd(db, petitionID: closing.id)
                let last = try Data.fetchOne(
                    db.cachedStatement(sql: "SELECT entry FROM count_entry WHERE petition_id = ? AND seq = ?"), arguments: [closing.id, end - 1])
                let open = try Int.fetchOne(db.cachedStatement(sql: "SELECT count_epoch FROM petition WHERE id = ?"), arguments: [closing.id]) ?? 0
                let step = try CountEpochAppend(
                    epoch, openEpoch: open, published: try Self.countEntryCount(db, petitionID: closing.id), end: end, last: last.map { Array($0) },
                    slice: policy.slice)
                switch step {
                case .append(let at, let leaves):
                    let insert = try db.cachedStatement(sql: "INSERT INTO count_entry (petition_id, seq, entry) VALUES (?, ?, ?)")
                    for (offset, leaf) in leaves.enumerated() { try insert.execute(arguments: [closing.id, at + offset, Data(leaf.entry)]) }
                case .publish(let entries):
                    try db.execute(sql: "UPDATE petition SET count_log_size = ? WHERE id = ?", arguments: [entries.upperBound, closing.id])
                case .published:
                    break
                }
                return step
            }
        } while step.continues
        // 4. The published epoch's events, deleted a slice to a transaction.
        while try await write({ db in
            try db.cachedStatement(sql: """
                DELETE FROM count_pending WHERE rowid IN (SELECT rowid FROM count_pending WHERE petition_id = ? AND epoch = ? LIMIT ?)
                """).execute(arguments: [closing.id, closing.number, policy.slice])
            return db.changesCount
        }) > 0 {}
        return step.closed(number: closing.number)
    }

    public func countEntries(_ slug: PetitionSlug, _ range: Range<Int>) async throws(StoreError) -> [[UInt8]] {
        try await read { db in
            let (id, _) = try Self.petitionState(db, slug)
            let size = try Self.countEntryCount(db, petitionID: id)
            return try Data.fetchAll(
                db, sql: "SELECT entry FROM count_entry WHERE petition_id = ? AND seq >= ? AND seq < ? ORDER BY seq",
                arguments: [id, range.lowerBound, min(range.upperBound, size)]
            ).map { Array($0) }
        }
    }

    public func countEntryCount(_ slug: PetitionSlug) async throws(StoreError) -> Int {
        try await read { db in
            let (id, _) = try Self.petitionState(db, slug)
            return try Self.countEntryCount(db, petitionID: id)
        }
    }

    /// The log's published size: whole epochs only.
    private static func countEntryCount(_ db: Database, petitionID: Int64) throws -> Int {
        try Int.fetchOne(db.cachedStatement(sql: "SELECT count_log_size FROM petition WHERE id = ?"), arguments: [petitionID]) ?? 0
    }

    /// One past the log's last entry, published or not, from its last sequence number (they are dense from 0): one index
    /// lookup, not a count of the log.
    private static func countEntryEnd(_ db: Database, petitionID: Int64) throws -> Int {
        try Int.fetchOne(db.cachedStatement(sql: "SELECT coalesce(max(seq) + 1, 0) FROM count_entry WHERE petition_id = ?"), arguments: [petitionID]) ?? 0
    }

    /// Whether a close of the epoch before `openEpoch` was cut short: its events wait in `count_pending`, or its
    /// leaves are appended and not published. Refuses events of an older epoch, which no close could append in order
    /// (an instance of a build before schema `v7` writing to this file).
    private static func closeUnfinished(_ db: Database, petitionID id: Int64, openEpoch: Int) throws -> Bool {
        if let stray = try Int.fetchOne(
            db, sql: "SELECT min(epoch) FROM count_pending WHERE petition_id = ? AND epoch < ?", arguments: [id, openEpoch - 1]) {
            throw StoreError.strayCountEvents(epoch: stray, open: openEpoch)
        }
        return try Bool.fetchOne(db, sql: """
            SELECT EXISTS (SELECT 1 FROM count_pending WHERE petition_id = ?1 AND epoch < ?2)
                OR (SELECT count_log_size FROM petition WHERE id = ?1) < (SELECT coalesce(max(seq) + 1, 0) FROM count_entry WHERE petition_id = ?1)
            """, arguments: [id, openEpoch]) ?? false
    }

    /// Adds `event` to the petition's open count epoch and returns the epoch's number.
    private static func logCount(_ db: Database, petitionID: Int64, _ event: PendingCountEvent) throws -> Int {
        let stored = StoredCountEvent(event)
        return try Int.fetchOne(
            db.cachedStatement(sql: """
                INSERT INTO count_pending (petition_id, kind, commitment, hour, epoch)
                SELECT id, ?, ?, ?, count_epoch FROM petition WHERE id = ? RETURNING epoch
                """),
            arguments: [stored.kind, stored.commitment, stored.hour, petitionID]) ?? 0
    }

    public func purgeDeletedCopies() async throws(StoreError) {
        do {
            // `secure_delete` zeroed the deleted rows in the pages; VACUUM rewrites the file, and the checkpoint moves the
            // write-ahead log into it and truncates it to nothing, so no frame holding the old rows is left.
            try await pool.writeWithoutTransaction { db in
                try db.execute(sql: "VACUUM")
                try db.checkpoint(.truncate)
            }
        } catch {
            throw Self.storeError(error, path: path)
        }
    }

    // MARK: - Keys

    public func rewrapPetitionKeys(_ changes: [WrappedKeyChange]) async throws(StoreError) -> [PetitionSlug] {
        try await write { db in
            var changed: [PetitionSlug] = []
            for change in changes {
                guard let first = change.to.first, let base = change.from.first else { continue }
                try db.execute(
                    sql: "UPDATE petition SET wrapped_key = ?, key_layers = ? WHERE slug = ? AND wrapped_key = ? AND key_layers = ?",
                    arguments: [
                        Data(first.bytes), StoredValue.layers(Array(change.to.dropFirst())), change.slug.value, Data(base.bytes),
                        StoredValue.layers(Array(change.from.dropFirst())),
                    ])
                if db.changesCount > 0 { changed.append(change.slug) }
            }
            return changed
        }
    }

    public func rekey(
        _ slug: PetitionSlug, after layers: Int, layer: WrappedPetitionKey, transform: @escaping @Sendable (Pseudonym) throws -> Pseudonym
    ) async throws(StoreError) -> Int {
        try await write { db in
            let (id, admission) = try Self.keyChangeAdmission(db, slug)
            try admission.admitRekey(after: layers)
            let existing = try StoredValue.layers(Data.fetchOne(db, sql: "SELECT key_layers FROM petition WHERE id = ?", arguments: [id]) ?? Data())
            // Signatures are deleted and inserted again, so an old and a new pseudonym never meet in the primary key.
            // The commitment goes with its signature, so that a later withdrawal still logs `withdraw c`.
            let signatures = try Row.fetchAll(
                db, sql: "SELECT pseudonym, day, region, commitment FROM signature WHERE petition_id = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM signature WHERE petition_id = ?", arguments: [id])
            for row in signatures {
                try db.execute(
                    sql: "INSERT INTO signature (petition_id, pseudonym, day, region, commitment) VALUES (?, ?, ?, ?, ?)",
                    arguments: [
                        id, Data(try transform(Pseudonym(bytes: Array(row["pseudonym"] as Data))).bytes), row["day"], row["region"],
                        row["commitment"] as Data?,
                    ])
            }
            let pending = try Row.fetchAll(
                db, sql: "SELECT token_id, pseudonym FROM pending WHERE petition_id = ? AND pseudonym IS NOT NULL", arguments: [id])
            for row in pending {
                try db.execute(
                    sql: "UPDATE pending SET pseudonym = ? WHERE token_id = ?",
                    arguments: [Data(try transform(Pseudonym(bytes: Array(row["pseudonym"] as Data))).bytes), row["token_id"]])
            }
            // SQLite's || makes text of blobs, so the new layer list is built here.
            try db.execute(sql: "UPDATE petition SET key_layers = ? WHERE id = ?", arguments: [StoredValue.layers(existing + [layer]), id])
            return signatures.count + pending.count
        }
    }

    // MARK: - Access tokens

    public func createAccessToken(_ token: AccessToken) async throws(StoreError) {
        try await write { db in
            try db.execute(
                sql: "INSERT INTO access_token (hash, id, role, petition_slug, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [
                    Data(token.hash), token.id, token.role.rawValue, token.petition?.value, StoredValue.seconds(token.createdAt),
                    token.revokedAt.map(StoredValue.seconds),
                ])
        }
    }

    public func accessToken(hash: [UInt8]) async throws(StoreError) -> AccessToken? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM access_token WHERE hash = ?", arguments: [Data(hash)]).map(Self.accessToken)
        }
    }

    public func accessTokens() async throws(StoreError) -> [AccessToken] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM access_token ORDER BY created_at, id").map(Self.accessToken)
        }
    }

    public func revokeAccessToken(id: String, at date: Date) async throws(StoreError) -> Bool {
        try await write { db in
            let matches = try Int.fetchOne(db, sql: "SELECT count(*) FROM access_token WHERE id = ?", arguments: [id]) ?? 0
            guard try AccessTokenRevocation.admit(id: id, matches: matches) else { return false }
            try db.execute(
                sql: "UPDATE access_token SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", arguments: [StoredValue.seconds(date), id])
            return true
        }
    }

    // MARK: - Privacy ledger

    public func recordRelease(_ release: Release, budgetMicros: Int64) async throws(StoreError) {
        try await write { db in
            let (id, _) = try Self.petitionState(db, release.slug)
            let earlier = try Self.releases(db, petitionID: id, slug: release.slug)
            switch try PrivacyLedger.record(release, after: earlier, budgetMicros: budgetMicros) {
            case .merge(let seq, let hidden):
                try db.execute(
                    sql: "UPDATE release SET hidden = ? WHERE petition_id = ? AND seq = ?", arguments: [try Self.json(hidden), id, seq])
            case .insert(let seq):
                try db.execute(
                    sql: """
                        INSERT INTO release (petition_id, seq, breakdown, epsilon_micros, released_at, hidden, completed)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        id, seq, release.breakdown, release.epsilonMicros, StoredValue.seconds(release.date), try Self.json(release.hidden),
                        try StoredValue.json(release.completed),
                    ])
            }
        }
    }

    public func releases(_ slug: PetitionSlug) async throws(StoreError) -> [Release] {
        try await read { db in
            let (id, _) = try Self.petitionState(db, slug)
            return try Self.releases(db, petitionID: id, slug: slug)
        }
    }

    private static func releases(_ db: Database, petitionID: Int64, slug: PetitionSlug) throws -> [Release] {
        try Row.fetchAll(
            db, sql: "SELECT breakdown, epsilon_micros, released_at, hidden, completed FROM release WHERE petition_id = ? ORDER BY seq",
            arguments: [petitionID]
        ).map { row in
            Release(
                slug: slug, breakdown: row["breakdown"], epsilonMicros: row["epsilon_micros"], date: StoredValue.date(row["released_at"]),
                hidden: try JSONDecoder().decode([String].self, from: Data((row["hidden"] as String).utf8)),
                completed: try StoredValue.counts(row["completed"]))
        }
    }

    private static func accessToken(_ row: Row) throws -> AccessToken {
        AccessToken(
            hash: Array(row["hash"] as Data), role: try StoredValue.role(row["role"]),
            petition: try (row["petition_slug"] as String?).map { try PetitionSlug($0) }, createdAt: StoredValue.date(row["created_at"]),
            revokedAt: (row["revoked_at"] as Int64?).map(StoredValue.date))
    }

    // MARK: - Audit log

    public func appendAuditEntries(
        derivedFrom derive: @escaping @Sendable ([String], [PetitionRecord]) throws -> [String]
    ) async throws(StoreError) -> [String] {
        try await write { db in
            let existing = try String.fetchAll(db, sql: "SELECT entry FROM audit_entry ORDER BY seq")
            let entries = try derive(existing, try Row.fetchAll(db, sql: "SELECT * FROM petition ORDER BY slug").map(Self.petition))
            for (offset, entry) in entries.enumerated() {
                try db.execute(sql: "INSERT INTO audit_entry (seq, entry) VALUES (?, ?)", arguments: [existing.count + offset, entry])
            }
            return entries
        }
    }

    public func auditEntries(_ range: Range<Int>) async throws(StoreError) -> [String] {
        try await read { db in
            try String.fetchAll(
                db, sql: "SELECT entry FROM audit_entry WHERE seq >= ? AND seq < ? ORDER BY seq", arguments: [range.lowerBound, range.upperBound])
        }
    }

    public func auditEntryCount() async throws(StoreError) -> Int {
        try await read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_entry") ?? 0 }
    }

    // MARK: - Helpers

    private func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        do {
            return try await writer.write(body)
        } catch {
            throw Self.storeError(error, path: path)
        }
    }

    private func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        do {
            return try await pool.read(body)
        } catch {
            throw Self.storeError(error, path: path)
        }
    }

    private static func storeError(_ error: any Error, path: String) -> StoreError {
        if let error = error as? StoreError { return error }
        if let error = error as? DatabaseError {
            switch error.resultCode {
            case .SQLITE_NOTADB, .SQLITE_CORRUPT:
                return StoreError(.corruptDatabase, "\(path) is damaged or is not a Countersign database (\(error.message ?? "\(error.resultCode)")); it was left untouched: restore it from a backup")
            case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_READONLY:
                return StoreError(.unavailable, "cannot open \(path) for writing (\(error.message ?? "\(error.resultCode)")); check the path and its permissions")
            default:
                return StoreError(.database, "SQLite error on \(path): \(error.message ?? "\(error.resultCode)")")
            }
        }
        return StoreError(.database, "storage error on \(path): \(error)")
    }

    private static func petitionState(_ db: Database, _ slug: PetitionSlug) throws -> (Int64, PetitionState) {
        guard let row = try Row.fetchOne(db, sql: "SELECT id, state FROM petition WHERE slug = ?", arguments: [slug.value]) else {
            throw StoreError.unknownPetition(slug)
        }
        return (row["id"], try StoredValue.state(row["state"]))
    }

    /// The petition's row id and what ``PetitionAdmission`` decides from, for `request` (the write transaction
    /// excludes a re-key running at the same time).
    private static func admission(_ db: Database, _ request: PendingRequest) throws -> (Int64, PetitionAdmission) {
        guard let found = try admission(db, request.slug, region: request.region) else { throw StoreError.unknownPetition(request.slug) }
        return found
    }

    /// The region is compared in Swift, never bound into SQL: SQLite would read a bound string only up to a NUL byte,
    /// so `Texas\u{0}hostile` would match `Texas` (`test_hostile_input.py`, region-nul).
    private static func admission(_ db: Database, _ slug: PetitionSlug, region: String?) throws -> (Int64, PetitionAdmission)? {
        try Row.fetchOne(
            db.cachedStatement(sql: "SELECT id, state, length(key_layers) / \(WrappedPetitionKey.length), regions FROM petition WHERE slug = ?"),
            arguments: [slug.value]
        ).map { row in
            // The list is decoded only for a request that names a region.
            let listed = try region.map { try JSONDecoder().decode([String].self, from: Data((row[3] as String).utf8)).contains($0) } ?? true
            return (row[0], PetitionAdmission(slug: slug, state: try StoredValue.state(row[1]), layerCount: row[2], regionListed: listed))
        }
    }

    private static func keyChangeAdmission(_ db: Database, _ slug: PetitionSlug) throws -> (Int64, KeyChangeAdmission) {
        guard let row = try Row.fetchOne(
            db, sql: "SELECT id, state, wrapped_key IS NULL, length(key_layers) / \(WrappedPetitionKey.length) FROM petition WHERE slug = ?",
            arguments: [slug.value])
        else { throw StoreError.unknownPetition(slug) }
        return (row[0], KeyChangeAdmission(slug: slug, state: try StoredValue.state(row[1]), shredded: row[2], layerCount: row[3]))
    }

    private static func signed(_ db: Database, petitionID: Int64, _ pseudonym: Pseudonym) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM signature WHERE petition_id = ? AND pseudonym = ?"),
            arguments: [petitionID, Data(pseudonym.bytes)]) != nil
    }

    private static func pending(_ db: Database, _ tokenID: TokenID, purpose: TokenPurpose) throws -> StoredPending? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: """
                SELECT p.petition_id, p.pseudonym, p.region, p.expires_at, p.consumed, pe.slug, pe.state
                FROM pending p JOIN petition pe ON pe.id = p.petition_id
                WHERE p.token_id = ? AND p.purpose = ?
                """),
            arguments: [Data(tokenID.bytes), Int(purpose.rawValue)])
        else { return nil }
        return StoredPending(
            petitionID: row["petition_id"], pseudonym: row["pseudonym"],
            row: PendingRow(
                slug: try PetitionSlug(row["slug"]), state: try StoredValue.state(row["state"]), purpose: purpose, region: row["region"],
                expiresAt: StoredValue.date(row["expires_at"]), consumed: row["consumed"]))
    }

    /// Marks a pending row used and forgets whose it was: a used row keeps only its token id, so that a replay still
    /// answers already-confirmed until the row expires.
    private static func consume(_ db: Database, _ tokenID: TokenID) throws {
        try db.cachedStatement(sql: "UPDATE pending SET consumed = 1, pseudonym = NULL, region = NULL WHERE token_id = ?")
            .execute(arguments: [Data(tokenID.bytes)])
    }

    private static func upsertPending(_ db: Database, _ request: PendingRequest, petitionID: Int64, purpose: TokenPurpose) throws {
        try db.cachedStatement(sql: """
                INSERT INTO pending (token_id, petition_id, pseudonym, purpose, region, expires_at, consumed)
                VALUES (?, ?, ?, ?, ?, ?, 0)
                ON CONFLICT (petition_id, pseudonym, purpose) DO UPDATE SET
                    token_id = excluded.token_id, region = excluded.region, expires_at = excluded.expires_at, consumed = 0
                """).execute(arguments: [
                Data(request.tokenID.bytes), petitionID, Data(request.pseudonym.bytes), Int(purpose.rawValue), request.region,
                StoredValue.seconds(request.expiresAt),
            ])
    }

    /// Writes `change` to the petition's total and cells in the caller's transaction, deleting a cell that reaches zero.
    private static func count(_ db: Database, petitionID: Int64, _ change: CountDelta) throws {
        try db.cachedStatement(sql: "UPDATE petition SET total = total + ? WHERE id = ?").execute(arguments: [change.delta, petitionID])
        for cell in change.cells.map(AggregateCell.init) {
            let (table, column, key) = (cell.table, cell.column, cell.key)
            if change.delta > 0 {
                try db.cachedStatement(
                    sql: "INSERT INTO \(table) (petition_id, \(column), count) VALUES (?, ?, 1) ON CONFLICT DO UPDATE SET count = count + 1"
                ).execute(arguments: [petitionID, key])
            } else {
                try db.cachedStatement(sql: "DELETE FROM \(table) WHERE petition_id = ? AND \(column) = ? AND count = 1")
                    .execute(arguments: [petitionID, key])
                if db.changesCount == 0 {
                    try db.cachedStatement(sql: "UPDATE \(table) SET count = count - 1 WHERE petition_id = ? AND \(column) = ?")
                        .execute(arguments: [petitionID, key])
                }
            }
        }
    }

    private static func cells(_ db: Database, sql: String, _ petitionID: Int64) throws -> [String: Int] {
        var cells: [String: Int] = [:]
        for row in try Row.fetchAll(db, sql: sql, arguments: [petitionID]) {
            cells[row[0]] = row[1]
        }
        return cells
    }

    private static func petition(_ row: Row) throws -> PetitionRecord {
        let wrapped: Data? = row["wrapped_key"]
        let salt: Data = row["salt"]
        return PetitionRecord(
            slug: try PetitionSlug(row["slug"]), title: row["title"], text: row["body"],
            regions: try JSONDecoder().decode([String].self, from: Data((row["regions"] as String).utf8)),
            salt: Array(salt), wrappedKey: try wrapped.map { try WrappedPetitionKey(bytes: Array($0)) },
            keyLayers: try StoredValue.layers(row["key_layers"]), state: try StoredValue.state(row["state"]),
            createdAt: StoredValue.date(row["created_at"]), closedAt: (row["closed_at"] as Int64?).map(StoredValue.date),
            keyShreddedAt: (row["key_shredded_at"] as Int64?).map(StoredValue.date))
    }

    private static func json(_ regions: [String]) throws -> String {
        String(decoding: try JSONEncoder().encode(regions), as: UTF8.self)
    }
}
