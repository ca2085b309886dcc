import CountersignCore
import Foundation
import Logging
import PostgresNIO

/// The ``SignatureStore`` for several stateless instances sharing one PostgreSQL database.
///
/// A signer's operation (sign, confirm, withdraw) is one read and one autocommitted write that goes ahead only if what
/// was read still holds (see "Signing" below); every other operation is one transaction. The writes of signers take
/// their petition `FOR KEY SHARE`, which does not make them wait for one another, while a state change, a shred or a
/// re-key takes it `FOR UPDATE` and so waits for them, and they for it (a rule for every writer of the columns signers'
/// conditions read, state, layers and count epoch: lock the row `FOR UPDATE` first, because a plain `UPDATE` takes
/// only `FOR NO KEY UPDATE`, which `FOR KEY SHARE` neither waits for nor rechecks); a token's pending row is used by one
/// `UPDATE … WHERE NOT consumed`, so of concurrent uses of one token only the first counts. The
/// `(petition_id, pseudonym)` primary key makes a second signature impossible whatever the application does.
///
/// The ``client`` must be running (`client.run()`, a swift-service-lifecycle service) while the store is used.
public struct PostgresSignatureStore: SignatureStore {
    public let client: PostgresClient
    private let logger: Logger

    public init(client: PostgresClient, logger: Logger = Logger(label: "countersign.postgres")) {
        self.client = client
        self.logger = logger
    }

    /// Client configuration from a `postgres://user[:password]@host[:port]/database[?sslmode=…&sslrootcert=PATH]` URL
    /// (``PostgresTLS``).
    public static func configuration(url: String) throws(StoreError) -> PostgresClient.Configuration {
        guard let components = URLComponents(string: url), ["postgres", "postgresql"].contains(components.scheme),
            let host = components.host, !host.isEmpty
        else {
            throw StoreError(.unavailable, "the database URL must look like postgres://user:password@host:5432/database")
        }
        let database = String(components.path.drop { $0 == "/" })
        let query = components.queryItems ?? []
        let tls = try PostgresTLS.configuration(
            host: host, sslmode: query.first { $0.name == "sslmode" }?.value, rootCertificate: query.first { $0.name == "sslrootcert" }?.value)
        var configuration = PostgresClient.Configuration(
            host: host, port: components.port ?? 5432, username: components.user ?? "postgres", password: components.password,
            database: database.isEmpty ? nil : database, tls: tls)
        configuration.options.connectionIdleTimeout = .seconds(60)
        return configuration
    }

    /// Brings the schema up to date, under an advisory lock so that instances starting together migrate once.
    public func migrate() async throws(StoreError) {
        try await transaction { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(7261746)", logger: logger)
            try await connection.query(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)", logger: logger)
            var current = 0
            for try await version in try await connection.query("SELECT coalesce(max(version), 0) FROM schema_migrations", logger: logger)
                .decode(Int.self)
            {
                current = version
            }
            guard current <= PostgresSchema.latest else {
                throw StoreError(.newerSchema, "the database has schema version \(current), newer than this Countersign knows (up to \(PostgresSchema.latest)); upgrade Countersign")
            }
            for migration in PostgresSchema.migrations where migration.version > current {
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                let now = Int64(Date().timeIntervalSince1970)
                try await connection.query(
                    "INSERT INTO schema_migrations (version, applied_at) VALUES (\(migration.version), \(now))", logger: logger)
            }
        }
    }

    // MARK: - Petitions

    public func createPetition(_ petition: PetitionRecord) async throws(StoreError) {
        try await transaction { connection in
            let rows = try await connection.query(
                """
                INSERT INTO petition (slug, title, body, regions, salt, wrapped_key, key_layers, state, created_at, closed_at, key_shredded_at)
                VALUES (\(petition.slug.value), \(petition.title), \(petition.text), \(petition.regions), \(Data(petition.salt)),
                        \(petition.wrappedKey.map { Data($0.bytes) }), \(StoredValue.layers(petition.keyLayers)), \(petition.state.rawValue), \(StoredValue.seconds(petition.createdAt)),
                        \(petition.closedAt.map(StoredValue.seconds)), \(petition.keyShreddedAt.map(StoredValue.seconds)))
                ON CONFLICT (slug) DO NOTHING RETURNING id
                """, logger: logger)
            guard try await Self.exists(rows) else { throw StoreError.duplicatePetition(petition.slug) }
        }
    }

    public func petitions() async throws(StoreError) -> [PetitionRecord] {
        try await transaction { connection in
            try await Self.totals(connection.query("\(unescaped: Self.petitionColumns) ORDER BY slug", logger: logger)).map(\.petition)
        }
    }

    public func petitionTotals() async throws(StoreError) -> [PetitionTotal] {
        try await transaction { connection in
            try await Self.totals(connection.query("\(unescaped: Self.petitionColumns) ORDER BY slug", logger: logger))
        }
    }

    public func petition(_ slug: PetitionSlug) async throws(StoreError) -> PetitionRecord? {
        try await transaction { connection in
            try await Self.totals(connection.query("\(unescaped: Self.petitionColumns) WHERE slug = \(slug.value)", logger: logger)).first?.petition
        }
    }

    public func admission(_ slug: PetitionSlug, region: String?) async throws(StoreError) -> PetitionAdmission? {
        try await withConnection { connection in try await readAdmission(connection, slug, region: region, pseudonym: nil)?.admission }
    }

    public func setState(_ state: PetitionState, of slug: PetitionSlug, at date: Date) async throws(StoreError) {
        try await transaction { connection in
            let (id, current) = try await petitionState(connection, slug, lock: true)
            guard try current.transition(to: state, of: slug) else { return }
            let closedAt: Int64? = state == .closed ? StoredValue.seconds(date) : nil
            try await connection.query(
                "UPDATE petition SET state = \(state.rawValue), closed_at = coalesce(\(closedAt), closed_at) WHERE id = \(id)", logger: logger)
        }
    }

    // MARK: - Signing
    //
    // A signer's operation is two round trips and no explicit transaction. The first statement reads, without a
    // lock, what the rule in `Rules/` decides from; the second, one autocommitted statement, writes what the rule
    // decided only if what was read still holds, under the petition's `FOR KEY SHARE` lock (which a state change, a
    // shred or a re-key, all `FOR UPDATE`, waits for and which signers do not wait for among themselves). When it no
    // longer holds (a pause, a re-key, a concurrent use of the same token), the statement changes nothing and the
    // operation reads again. Counts go to the connection's own shard of each cell (`count_shard`), so concurrent
    // confirmations do not queue for one row.

    public func sign(_ request: PendingRequest) async throws(StoreError) -> SignOutcome {
        try await storePending(request, for: .confirm) ? .alreadyConfirmed : .pending
    }

    public func confirm(
        tokenID: TokenID, at date: Date, commit: @escaping @Sendable (PetitionSlug) throws -> ReceiptCommitment
    ) async throws(StoreError) -> ConfirmOutcome {
        switch try await consumePending(tokenID, purpose: .confirm, at: date, commit: commit) {
        case .refused(let refusal): ConfirmOutcome(refusal)
        case .consumed(let slug, let epoch?): .confirmed(slug: slug, epoch: epoch)
        case .consumed(_, nil): .alreadyConfirmed
        }
    }

    public func requestWithdrawal(_ request: PendingRequest) async throws(StoreError) -> WithdrawalRequestOutcome {
        try await storePending(request, for: .withdraw) ? .pending : .noSignature
    }

    public func withdraw(tokenID: TokenID, at date: Date) async throws(StoreError) -> WithdrawOutcome {
        switch try await consumePending(tokenID, purpose: .withdraw, at: date, commit: nil) {
        case .refused(let refusal): WithdrawOutcome(refusal)
        case .consumed(_, let epoch): epoch == nil ? .alreadyWithdrawn : .withdrawn
        }
    }

    /// How many times an operation reads again after what it read changed under it. Each retry follows a commit by
    /// someone else (a state change, a re-key, a use of the same token), after which the next read decides for good.
    private static let attempts = 8

    /// Stores the pending row of `request` as ``PetitionAdmission`` admits it; returns whether the pseudonym has signed.
    private func storePending(_ request: PendingRequest, for purpose: TokenPurpose) async throws(StoreError) -> Bool {
        try await withConnection { connection in
            for _ in 0..<Self.attempts {
                guard let read = try await readAdmission(connection, request.slug, region: request.region, pseudonym: request.pseudonym)
                else { throw StoreError.unknownPetition(request.slug) }
                let admitted = try read.admission.admit(request, for: purpose)
                let stored = try await connection.execute(
                    SignerStatements.StorePending(
                        petitionID: read.id, state: read.state, layers: Int32(read.admission.layerCount),
                        tokenID: Data(admitted.tokenID.bytes), pseudonym: Data(admitted.pseudonym.bytes), purpose: Int16(purpose.rawValue),
                        region: admitted.region, expiresAt: StoredValue.seconds(admitted.expiresAt)),
                    logger: logger)
                for try await _ in stored { return read.signed }
            }
            throw StoreError(.unavailable, "the petition \(request.slug) kept changing during the request; try again")
        }
    }

    /// A petition as a sign or withdrawal request reads it: its row id, its state as stored, what
    /// ``PetitionAdmission`` decides from, and whether `pseudonym` (when given) has signed.
    private struct AdmissionRead {
        let id: Int64
        let state: String
        let admission: PetitionAdmission
        let signed: Bool
    }

    /// Reads an ``AdmissionRead`` in one statement, without a lock; `nil` when there is no such petition.
    private func readAdmission(
        _ connection: PostgresConnection, _ slug: PetitionSlug, region: String?, pseudonym: Pseudonym?
    ) async throws -> AdmissionRead? {
        let rows = try await connection.execute(
            SignerStatements.ReadAdmission(pseudonym: pseudonym.map { Data($0.bytes) }, slug: slug.value), logger: logger)
        for try await (id, state, layers, regions, signed) in rows {
            let admission = PetitionAdmission(
                slug: slug, state: try StoredValue.state(state), layerCount: Int(layers), regionListed: region.map(regions.contains) ?? true)
            return AdmissionRead(id: id, state: state, admission: admission, signed: signed)
        }
        return nil
    }

    private enum Consumption {
        case refused(PendingConsumption.Refusal)
        /// The token id of a row of petition `slug` was used; `epoch`, the open count epoch's number, is there when the
        /// signature was recorded (a confirmation) or deleted (a withdrawal), and so the aggregates changed.
        case consumed(slug: PetitionSlug, epoch: Int?)
    }

    /// Uses a token id as ``PendingConsumption`` decides. The row is marked used and forgets its pseudonym (a replay
    /// still answers already-confirmed until the row expires); a confirmation inserts the signature and a withdrawal
    /// deletes it, and ``CountDelta`` gives the cells to count, all in one statement (``SignerStatements/Consume``).
    private func consumePending(
        _ tokenID: TokenID, purpose: TokenPurpose, at date: Date, commit: (@Sendable (PetitionSlug) throws -> ReceiptCommitment)?
    ) async throws(StoreError) -> Consumption {
        let token = Data(tokenID.bytes)
        return try await withConnection { connection in
            for _ in 0..<Self.attempts {
                var read: (pending: StoredPending, state: String, layers: Int32, signature: (day: String, region: String?)?)?
                for try await (id, slug, state, layers, pseudonym, region, expiresAt, consumed, day, signatureRegion) in try await connection.execute(
                    SignerStatements.ReadPending(tokenID: token, purpose: Int16(purpose.rawValue)), logger: logger)
                {
                    let row = PendingRow(
                        slug: try PetitionSlug(slug), state: try StoredValue.state(state), purpose: purpose, region: region,
                        expiresAt: StoredValue.date(expiresAt), consumed: consumed)
                    read = (StoredPending(petitionID: id, pseudonym: pseudonym, row: row), state, layers, day.map { ($0, signatureRegion) })
                }
                let day: String, region: String?, change: CountDelta?
                switch try PendingConsumption(read?.pending.row, at: date) {
                case .refused(let refusal):
                    return .refused(refusal)
                case .consume(let today, let signatureRegion):
                    (day, region) = (today, signatureRegion)
                    if purpose == .confirm {
                        change = .confirmation(day: today, region: signatureRegion)
                    } else {
                        change = read?.signature.map { CountDelta.withdrawal(day: $0.day, region: $0.region) }
                    }
                }
                guard let read, let pseudonym = read.pending.pseudonym else { return .refused(.unknown) }
                let slug = read.pending.row.slug
                let commitment = try commit.map { commit in try StoreError.calling("the receipt commitment") { try commit(slug) } }
                let cells = (change?.cells ?? []).map(AggregateCell.init)
                let consume = SignerStatements.Consume(
                    petitionID: read.pending.petitionID, state: read.state, layers: read.layers, tokenID: token,
                    purpose: Int16(purpose.rawValue), pseudonym: pseudonym, signatureDay: read.signature?.day, confirming: purpose == .confirm,
                    day: day, region: region, delta: Int64(change?.delta ?? 0),
                    breakdowns: change == nil ? [] : ["total"] + cells.map(\.column), keys: change == nil ? [] : [""] + cells.map(\.key),
                    commitment: commitment.map { Data($0.bytes) }, hour: StoredValue.seconds(PendingCountEvent.hourFloor(date)))
                for try await (used, changed, epoch) in try await connection.execute(consume, logger: logger) where used == 1 {
                    return .consumed(slug: slug, epoch: changed == 1 ? epoch.map(Int.init) : nil)
                }
            }
            throw StoreError(.unavailable, "the token's petition kept changing during the request; try again")
        }
    }

    // MARK: - Counts

    public func aggregates(_ slug: PetitionSlug) async throws(StoreError) -> Aggregates {
        try await transaction(snapshot: true) { connection in
            try await maintained(connection, petitionID: petitionState(connection, slug, lock: false).0)
        }
    }

    /// Both sides are read in one REPEATABLE READ transaction: one snapshot, whatever commits meanwhile.
    public func recount(_ slug: PetitionSlug) async throws(StoreError) -> Recount {
        try await transaction(snapshot: true) { connection in
            let (id, _) = try await petitionState(connection, slug, lock: false)
            let maintained = try await maintained(connection, petitionID: id)
            return Recount(maintained: maintained, recounted: Aggregates(
                total: try await Self.single(connection.query("SELECT count(*) FROM signature WHERE petition_id = \(id)", logger: logger)),
                byDay: try await Self.cells(
                    connection.query("SELECT day, count(*) FROM signature WHERE petition_id = \(id) GROUP BY day", logger: logger)),
                byRegion: try await Self.cells(
                    connection.query(
                        "SELECT region, count(*) FROM signature WHERE petition_id = \(id) AND region IS NOT NULL GROUP BY region",
                        logger: logger))))
        }
    }

    /// The sums of the petition's shards, in one statement; a cell whose shards sum to zero is absent.
    private func maintained(_ connection: PostgresConnection, petitionID id: Int64) async throws -> Aggregates {
        var aggregates = Aggregates(total: 0, byDay: [:], byRegion: [:])
        for try await (breakdown, key, count) in try await connection.query(
            """
            SELECT breakdown, key, sum(count)::bigint FROM count_shard WHERE petition_id = \(id)
            GROUP BY breakdown, key HAVING sum(count) <> 0
            """, logger: logger
        ).decode((String, String, Int64).self) {
            switch breakdown {
            case "total": aggregates.total = Int(count)
            case "day": aggregates.byDay[key] = Int(count)
            default: aggregates.byRegion[key] = Int(count)
            }
        }
        return aggregates
    }

    // MARK: - Housekeeping

    public func purgeExpired(at date: Date) async throws(StoreError) -> Int {
        try await transaction { connection in
            let rows = try await connection.query(
                "DELETE FROM pending WHERE expires_at <= \(StoredValue.seconds(date)) RETURNING 1", logger: logger)
            var count = 0
            for try await _ in rows { count += 1 }
            try await connection.query("DELETE FROM spent_challenge WHERE expires_at <= \(StoredValue.seconds(date))", logger: logger)
            // Shards that withdrawals brought back to zero hold nothing.
            // Rows a confirmation holds are skipped: taking them here could deadlock with its upsert of two cells.
            try await connection.query(
                "DELETE FROM count_shard WHERE ctid IN (SELECT ctid FROM count_shard WHERE count = 0 FOR UPDATE SKIP LOCKED)", logger: logger)
            return count
        }
    }

    public func spend(_ spent: SpentChallenge, at date: Date) async throws(StoreError) -> Bool {
        try await withConnection { connection in
            // A row left from an expired challenge is past use: the expiry is checked before a spend.
            let rows = try await connection.query(
                """
                INSERT INTO spent_challenge (digest, expires_at) VALUES (\(Data(spent.digest)), \(StoredValue.seconds(spent.storedExpiry)))
                ON CONFLICT (digest) DO NOTHING RETURNING 1
                """, logger: logger)
            return try await Self.exists(rows)
        }
    }

    public func shredPetitionKey(_ slug: PetitionSlug, at date: Date) async throws(StoreError) {
        try await transaction { connection in
            let (id, admission) = try await keyChangeAdmission(connection, slug)
            let event = try admission.admitShred(at: date)
            try await connection.query("DELETE FROM signature WHERE petition_id = \(id)", logger: logger)
            try await connection.query("DELETE FROM pending WHERE petition_id = \(id)", logger: logger)
            try await connection.query(
                "UPDATE petition SET wrapped_key = NULL, key_layers = '', key_shredded_at = coalesce(key_shredded_at, \(StoredValue.seconds(date))) WHERE id = \(id)",
                logger: logger)
            if let event {
                let shred = StoredCountEvent(event)
                try await connection.query(
                    """
                    INSERT INTO count_pending (petition_id, kind, commitment, hour, epoch)
                    SELECT id, \(shred.kind), NULL, \(shred.hour), count_epoch FROM petition WHERE id = \(id)
                    """,
                    logger: logger)
            }
        }
    }

    // MARK: - Count log

    /// The first step locks the petition `FOR UPDATE`, so that confirmations and withdrawals (`FOR KEY SHARE`) in flight
    /// finish, tagged with the epoch that closes, before the next epoch opens; later ones wait for that step only and
    /// land in the next epoch. The other steps lock it `FOR NO KEY UPDATE`, which signers do not wait for and which
    /// makes a second instance's close wait its turn.
    public func closeCountEpoch(_ slug: PetitionSlug, at now: Date, policy: CountEpochPolicy) async throws(StoreError) -> ClosedCountEpoch? {
        // 1. Decide, and open the next epoch; or find a close cut short, which is finished first.
        let closing: (id: Int64, number: Int)? = try await transaction { connection in
            var petition: (id: Int64, state: String, epoch: Int32)?
            for try await row in try await connection.query(
                "SELECT id, state, count_epoch FROM petition WHERE slug = \(slug.value) FOR UPDATE", logger: logger
            ).decode((Int64, String, Int32).self) {
                petition = row
            }
            guard let petition else { throw StoreError.unknownPetition(slug) }
            if try await closeUnfinished(connection, petitionID: petition.id, openEpoch: petition.epoch) {
                return (petition.id, Int(petition.epoch) - 1)
            }
            // Index lookups, whatever the epoch holds: `count_pending (petition_id, epoch, hour)` and the shreds' index.
            var summary: (oldest: Int64?, shred: Bool, events: Int64) = (nil, false, 0)
            for try await row in try await connection.query(
                """
                SELECT (SELECT min(hour) FROM count_pending WHERE petition_id = \(petition.id) AND epoch = \(petition.epoch)),
                       EXISTS (SELECT 1 FROM count_pending WHERE petition_id = \(petition.id) AND epoch = \(petition.epoch) AND kind = 3),
                       (SELECT count(*) FROM (SELECT 1 FROM count_pending WHERE petition_id = \(petition.id) AND epoch = \(petition.epoch)
                                              LIMIT \(Int64(policy.minimumEvents))) AS counted)
                """, logger: logger
            ).decode((Int64?, Bool, Int64).self) {
                summary = row
            }
            let open = OpenCountEpoch(
                number: Int(petition.epoch), oldestHour: summary.oldest.map(StoredValue.date), holdsShred: summary.shred,
                events: Int(summary.events), acceptingSignatures: try StoredValue.state(petition.state).takes(.confirm))
            guard CountEpoch.decide(open, now: now, policy: policy) == .close else { return nil }
            try await connection.query("UPDATE petition SET count_epoch = count_epoch + 1 WHERE id = \(petition.id)", logger: logger)
            return (petition.id, open.number)
        }
        guard let closing else { return nil }
        let (id, number) = (closing.id, Int32(closing.number))
        // 2. The closed epoch's events, read without a lock, into log order in memory.
        let epoch = try await transaction { connection in
            var epoch = ClosingCountEpoch(number: closing.number)
            for try await (kind, commitment) in try await connection.query(
                "SELECT kind, commitment FROM count_pending WHERE petition_id = \(id) AND epoch = \(number)", logger: logger
            ).decode((Int16, Data?).self) {
                epoch.add(try StoredCountEvent.kind(kind, commitment: commitment))
            }
            epoch.sort()
            return epoch
        }
        // 3. Their leaves, a slice to a transaction, after what is appended already (by this instance or another); then
        //    the new size, published.
        var step: CountEpochAppend
        repeat {
            step = try await transaction { connection in
                let open = try await lockForClose(connection, petitionID: id)
                let end = try await countEntryEnd(connection, petitionID: id)
                var last: [UInt8]?
                for try await entry in try await connection.query(
                    "SELECT entry FROM count_entry WHERE petition_id = \(id) AND seq = \(Int64(end) - 1)", logger: logger
                ).decode(Data.self) {
                    last = Array(entry)
                }
                let step = try CountEpochAppend(
                    epoch, openEpoch: open, published: try await countEntryCount(connection, petitionID: id), end: end, last: last,
                    slice: policy.slice)
                switch step {
                case .append(let at, let leaves):
                    // Leaves are ASCII lines, passed as text.
                    try await connection.query(
                        """
                        INSERT INTO count_entry (petition_id, seq, entry)
                        SELECT \(id), \(Int64(at)) + leaf.number - 1, convert_to(leaf.line, 'UTF8')
                        FROM unnest(\(leaves.map(\.text))::text[]) WITH ORDINALITY AS leaf (line, number)
                        """, logger: logger)
                case .publish(let entries):
                    try await connection.query("UPDATE petition SET count_log_size = \(Int64(entries.upperBound)) WHERE id = \(id)", logger: logger)
                case .published:
                    break
                }
                return step
            }
        } while step.continues
        // 4. The published epoch's events, deleted a slice to a transaction.
        while try await transaction({ connection in
            try await Self.single(connection.query(
                """
                WITH gone AS (
                    DELETE FROM count_pending WHERE ctid = ANY (ARRAY(
                        SELECT ctid FROM count_pending WHERE petition_id = \(id) AND epoch = \(number) LIMIT \(Int64(policy.slice))))
                    RETURNING 1
                )
                SELECT count(*) FROM gone
                """, logger: logger))
        }) > 0 {}
        return step.closed(number: closing.number)
    }

    /// Serializes the steps of closes of one petition's epochs, across instances, without making signers wait; returns
    /// the open epoch's number.
    private func lockForClose(_ connection: PostgresConnection, petitionID id: Int64) async throws -> Int {
        try await Self.single(connection.query("SELECT count_epoch::bigint FROM petition WHERE id = \(id) FOR NO KEY UPDATE", logger: logger))
    }

    /// Whether a close of the epoch before `openEpoch` was cut short: its events wait in `count_pending`, or its
    /// leaves are appended and not published. Refuses events of an older epoch, which no close could append in order
    /// (an instance of a build before schema 9 writing to this database).
    private func closeUnfinished(_ connection: PostgresConnection, petitionID id: Int64, openEpoch: Int32) async throws -> Bool {
        for try await stray in try await connection.query(
            "SELECT min(epoch) FROM count_pending WHERE petition_id = \(id) AND epoch < \(openEpoch - 1)", logger: logger
        ).decode(Int32?.self) {
            if let stray { throw StoreError.strayCountEvents(epoch: Int(stray), open: Int(openEpoch)) }
        }
        return try await Self.exists(connection.query(
            """
            SELECT 1 WHERE EXISTS (SELECT 1 FROM count_pending WHERE petition_id = \(id) AND epoch < \(openEpoch))
                OR (SELECT count_log_size FROM petition WHERE id = \(id))
                   < (SELECT coalesce(max(seq) + 1, 0) FROM count_entry WHERE petition_id = \(id))
            """, logger: logger))
    }

    public func countEntries(_ slug: PetitionSlug, _ range: Range<Int>) async throws(StoreError) -> [[UInt8]] {
        try await transaction { connection in
            let (id, _) = try await petitionState(connection, slug, lock: false)
            let size = try await countEntryCount(connection, petitionID: id)
            var entries: [[UInt8]] = []
            for try await entry in try await connection.query(
                """
                SELECT entry FROM count_entry
                WHERE petition_id = \(id) AND seq >= \(Int64(range.lowerBound)) AND seq < \(Int64(min(range.upperBound, size))) ORDER BY seq
                """, logger: logger
            ).decode(Data.self) {
                entries.append(Array(entry))
            }
            return entries
        }
    }

    public func countEntryCount(_ slug: PetitionSlug) async throws(StoreError) -> Int {
        try await transaction { connection in
            let (id, _) = try await petitionState(connection, slug, lock: false)
            return try await countEntryCount(connection, petitionID: id)
        }
    }

    /// The log's published size: whole epochs only.
    private func countEntryCount(_ connection: PostgresConnection, petitionID: Int64) async throws -> Int {
        try await Self.single(connection.query("SELECT count_log_size FROM petition WHERE id = \(petitionID)", logger: logger))
    }

    /// One past the log's last entry, published or not, from its last sequence number (they are dense from 0): one index
    /// lookup, not a count of the log.
    private func countEntryEnd(_ connection: PostgresConnection, petitionID: Int64) async throws -> Int {
        try await Self.single(connection.query("SELECT coalesce(max(seq) + 1, 0) FROM count_entry WHERE petition_id = \(petitionID)", logger: logger))
    }

    public func purgeDeletedCopies() async throws(StoreError) {
        do {
            // VACUUM cannot run in a transaction. FULL rewrites the small petition table, which held the wrapped key, into
            // new files; a plain VACUUM frees the dead pseudonym rows without locking signers out of the big tables.
            try await client.query("VACUUM FULL petition", logger: logger)
            try await client.query("VACUUM signature, pending", logger: logger)
        } catch {
            throw StoreError(.unavailable, "PostgreSQL could not vacuum after the shred: \(Self.describe(error)); run VACUUM FULL petition by hand")
        }
    }

    // MARK: - Keys

    public func rewrapPetitionKeys(_ changes: [WrappedKeyChange]) async throws(StoreError) -> [PetitionSlug] {
        try await transaction { connection in
            var changed: [PetitionSlug] = []
            for change in changes {
                guard let first = change.to.first, let base = change.from.first else { continue }
                let rows = try await connection.query(
                    """
                    UPDATE petition SET wrapped_key = \(Data(first.bytes)), key_layers = \(StoredValue.layers(Array(change.to.dropFirst())))
                    WHERE slug = \(change.slug.value) AND wrapped_key = \(Data(base.bytes))
                      AND key_layers = \(StoredValue.layers(Array(change.from.dropFirst())))
                    RETURNING 1
                    """, logger: logger)
                if try await Self.exists(rows) { changed.append(change.slug) }
            }
            return changed
        }
    }

    public func rekey(
        _ slug: PetitionSlug, after layers: Int, layer: WrappedPetitionKey, transform: @escaping @Sendable (Pseudonym) throws -> Pseudonym
    ) async throws(StoreError) -> Int {
        try await transaction { connection in
            let (id, admission) = try await keyChangeAdmission(connection, slug)
            try admission.admitRekey(after: layers)
            var signatures: [(Data, String, String?, Data?)] = []
            for try await row in try await connection.query(
                "SELECT pseudonym, day, region, commitment FROM signature WHERE petition_id = \(id)", logger: logger
            ).decode((Data, String, String?, Data?).self) {
                signatures.append(row)
            }
            // Deleted and inserted again, so an old and a new pseudonym never meet in the primary key; the commitment goes
            // with its signature, so that a later withdrawal still logs `withdraw c`.
            try await connection.query("DELETE FROM signature WHERE petition_id = \(id)", logger: logger)
            for (pseudonym, day, region, commitment) in signatures {
                let new = Data(try transform(Pseudonym(bytes: Array(pseudonym))).bytes)
                try await connection.query(
                    """
                    INSERT INTO signature (petition_id, pseudonym, day, region, commitment)
                    VALUES (\(id), \(new), \(day), \(region), \(commitment))
                    """, logger: logger)
            }
            var pending: [(Data, Data)] = []
            for try await row in try await connection.query(
                "SELECT token_id, pseudonym FROM pending WHERE petition_id = \(id) AND pseudonym IS NOT NULL", logger: logger
            ).decode((Data, Data).self) {
                pending.append(row)
            }
            for (tokenID, pseudonym) in pending {
                let new = Data(try transform(Pseudonym(bytes: Array(pseudonym))).bytes)
                try await connection.query("UPDATE pending SET pseudonym = \(new) WHERE token_id = \(tokenID)", logger: logger)
            }
            try await connection.query(
                "UPDATE petition SET key_layers = key_layers || \(Data(layer.bytes)) WHERE id = \(id)", logger: logger)
            return signatures.count + pending.count
        }
    }

    // MARK: - Access tokens

    public func createAccessToken(_ token: AccessToken) async throws(StoreError) {
        try await transaction { connection in
            _ = try await connection.query(
                """
                INSERT INTO access_token (hash, id, role, petition_slug, created_at, revoked_at)
                VALUES (\(Data(token.hash)), \(token.id), \(token.role.rawValue), \(token.petition?.value),
                        \(StoredValue.seconds(token.createdAt)), \(token.revokedAt.map(StoredValue.seconds)))
                """, logger: logger)
        }
    }

    public func accessToken(hash: [UInt8]) async throws(StoreError) -> AccessToken? {
        try await transaction { connection in
            try await Self.accessTokens(connection.query("\(unescaped: Self.tokenColumns) WHERE hash = \(Data(hash))", logger: logger)).first
        }
    }

    public func accessTokens() async throws(StoreError) -> [AccessToken] {
        try await transaction { connection in
            try await Self.accessTokens(connection.query("\(unescaped: Self.tokenColumns) ORDER BY created_at, id", logger: logger))
        }
    }

    public func revokeAccessToken(id: String, at date: Date) async throws(StoreError) -> Bool {
        try await transaction { connection in
            let matches = try await Self.single(connection.query("SELECT count(*) FROM access_token WHERE id = \(id)", logger: logger))
            guard try AccessTokenRevocation.admit(id: id, matches: matches) else { return false }
            try await connection.query(
                "UPDATE access_token SET revoked_at = \(StoredValue.seconds(date)) WHERE id = \(id) AND revoked_at IS NULL", logger: logger)
            return true
        }
    }

    private static let tokenColumns = "SELECT hash, role, petition_slug, created_at, revoked_at FROM access_token"

    private static func accessTokens(_ rows: PostgresRowSequence) async throws -> [AccessToken] {
        var tokens: [AccessToken] = []
        for try await (hash, role, slug, created, revoked) in rows.decode((Data, String, String?, Int64, Int64?).self) {
            tokens.append(AccessToken(
                hash: Array(hash), role: try StoredValue.role(role), petition: try slug.map { try PetitionSlug($0) },
                createdAt: StoredValue.date(created), revokedAt: revoked.map(StoredValue.date)))
        }
        return tokens
    }

    // MARK: - Privacy ledger

    public func recordRelease(_ release: Release, budgetMicros: Int64) async throws(StoreError) {
        try await transaction { connection in
            // The petition row's lock makes concurrent releases of one petition take turns at the budget.
            let (id, _) = try await petitionState(connection, release.slug, lock: true)
            let earlier = try await releases(connection, petitionID: id, slug: release.slug)
            switch try PrivacyLedger.record(release, after: earlier, budgetMicros: budgetMicros) {
            case .merge(let seq, let hidden):
                try await connection.query(
                    "UPDATE release SET hidden = \(hidden) WHERE petition_id = \(id) AND seq = \(Int32(seq))", logger: logger)
            case .insert(let seq):
                try await connection.query(
                    """
                    INSERT INTO release (petition_id, seq, breakdown, epsilon_micros, released_at, hidden, completed)
                    VALUES (\(id), \(Int32(seq)), \(release.breakdown), \(release.epsilonMicros),
                            \(StoredValue.seconds(release.date)), \(release.hidden), \(try StoredValue.json(release.completed)))
                    """, logger: logger)
            }
        }
    }

    public func releases(_ slug: PetitionSlug) async throws(StoreError) -> [Release] {
        try await transaction { connection in
            let (id, _) = try await petitionState(connection, slug, lock: false)
            return try await releases(connection, petitionID: id, slug: slug)
        }
    }

    private func releases(_ connection: PostgresConnection, petitionID: Int64, slug: PetitionSlug) async throws -> [Release] {
        var releases: [Release] = []
        for try await (breakdown, epsilon, date, hidden, completed) in try await connection.query(
            "SELECT breakdown, epsilon_micros, released_at, hidden, completed FROM release WHERE petition_id = \(petitionID) ORDER BY seq",
            logger: logger
        ).decode((String, Int64?, Int64, [String], String).self) {
            releases.append(Release(
                slug: slug, breakdown: breakdown, epsilonMicros: epsilon, date: StoredValue.date(date), hidden: hidden,
                completed: try StoredValue.counts(completed)))
        }
        return releases
    }

    // MARK: - Audit log

    public func appendAuditEntries(
        derivedFrom derive: @escaping @Sendable ([String], [PetitionRecord]) throws -> [String]
    ) async throws(StoreError) -> [String] {
        try await transaction { connection in
            try await connection.query("LOCK TABLE audit_entry IN EXCLUSIVE MODE", logger: logger)
            var existing: [String] = []
            for try await entry in try await connection.query("SELECT entry FROM audit_entry ORDER BY seq", logger: logger).decode(String.self) {
                existing.append(entry)
            }
            // Read after the lock, so a state change committed before it is seen (READ COMMITTED).
            let petitions = try await Self.totals(connection.query("\(unescaped: Self.petitionColumns) ORDER BY slug", logger: logger)).map(\.petition)
            let entries = try derive(existing, petitions)
            for (offset, entry) in entries.enumerated() {
                try await connection.query(
                    "INSERT INTO audit_entry (seq, entry) VALUES (\(Int64(existing.count + offset)), \(entry))", logger: logger)
            }
            return entries
        }
    }

    public func auditEntries(_ range: Range<Int>) async throws(StoreError) -> [String] {
        try await transaction { connection in
            let rows = try await connection.query(
                "SELECT entry FROM audit_entry WHERE seq >= \(range.lowerBound) AND seq < \(range.upperBound) ORDER BY seq", logger: logger)
            var entries: [String] = []
            for try await entry in rows.decode(String.self) { entries.append(entry) }
            return entries
        }
    }

    public func auditEntryCount() async throws(StoreError) -> Int {
        try await transaction { connection in
            try await Self.single(connection.query("SELECT count(*) FROM audit_entry", logger: logger))
        }
    }

    // MARK: - Helpers

    /// A petition's columns and its confirmed total, the sum of its `total` shards.
    private static let petitionColumns = """
        SELECT slug, title, body, regions, salt, wrapped_key, key_layers, state, created_at, closed_at, key_shredded_at,
               (SELECT coalesce(sum(count), 0) FROM count_shard c WHERE c.petition_id = petition.id AND c.breakdown = 'total')::bigint
        FROM petition
        """

    /// Runs `body` on one connection, outside a transaction: each statement commits on its own.
    private func withConnection<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws(StoreError) -> T {
        do {
            return try await client.withConnection { connection in try await body(connection) }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.unavailable, "PostgreSQL failed: \(Self.describe(error))")
        }
    }

    /// Runs `body` in one transaction: READ COMMITTED with row locks for writes, or, with `snapshot`, a
    /// REPEATABLE READ snapshot for reads that must agree with each other.
    private func transaction<T: Sendable>(
        snapshot: Bool = false, _ body: (PostgresConnection) async throws -> T
    ) async throws(StoreError) -> T {
        do {
            return try await client.withTransaction(logger: logger) { connection in
                if snapshot {
                    try await connection.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", logger: logger)
                }
                return try await body(connection)
            }
        } catch let error as StoreError {
            throw error
        } catch let error as PostgresTransactionError {
            if let closure = error.closureError as? StoreError { throw closure }
            throw StoreError(.database, "PostgreSQL transaction failed: \(Self.describe(error.closureError ?? error.commitError ?? error.beginError ?? error))")
        } catch {
            throw StoreError(.unavailable, "PostgreSQL failed: \(Self.describe(error))")
        }
    }

    /// A description without bound values: PostgresNIO's own descriptions are redacted, and a `PSQLError`
    /// names the server's message only.
    private static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            return error.serverInfo?[.message] ?? "\(error.code)"
        }
        return String(describing: type(of: error))
    }

    private func petitionState(_ connection: PostgresConnection, _ slug: PetitionSlug, lock: Bool) async throws -> (Int64, PetitionState) {
        let rows = try await connection.query(
            "SELECT id, state FROM petition WHERE slug = \(slug.value) \(unescaped: lock ? "FOR UPDATE" : "")", logger: logger)
        for try await (id, state) in rows.decode((Int64, String).self) {
            return (id, try StoredValue.state(state))
        }
        throw StoreError.unknownPetition(slug)
    }

    /// The petition's id and what ``KeyChangeAdmission`` decides from, locked `FOR UPDATE`.
    private func keyChangeAdmission(_ connection: PostgresConnection, _ slug: PetitionSlug) async throws -> (Int64, KeyChangeAdmission) {
        let rows = try await connection.query(
            """
            SELECT id, state, wrapped_key IS NULL, length(key_layers) / \(Int32(WrappedPetitionKey.length))
            FROM petition WHERE slug = \(slug.value) FOR UPDATE
            """, logger: logger)
        for try await (id, state, shredded, layers) in rows.decode((Int64, String, Bool, Int32).self) {
            return (id, KeyChangeAdmission(slug: slug, state: try StoredValue.state(state), shredded: shredded, layerCount: Int(layers)))
        }
        throw StoreError.unknownPetition(slug)
    }

    private static func exists(_ rows: PostgresRowSequence) async throws -> Bool {
        var found = false
        for try await _ in rows { found = true }
        return found
    }

    private static func single(_ rows: PostgresRowSequence) async throws -> Int {
        var value = 0
        for try await number in rows.decode(Int64.self) { value = Int(number) }
        return value
    }

    private static func cells(_ rows: PostgresRowSequence) async throws -> [String: Int] {
        var cells: [String: Int] = [:]
        for try await (key, count) in rows.decode((String, Int64).self) { cells[key] = Int(count) }
        return cells
    }

    private static func totals(_ rows: PostgresRowSequence) async throws -> [PetitionTotal] {
        var totals: [PetitionTotal] = []
        for try await (slug, title, body, regions, salt, wrapped, layers, state, created, closed, shredded, total) in rows.decode(
            (String, String, String, [String], Data, Data?, Data, String, Int64, Int64?, Int64?, Int64).self)
        {
            let petition = PetitionRecord(
                slug: try PetitionSlug(slug), title: title, text: body, regions: regions, salt: Array(salt),
                wrappedKey: try wrapped.map { try WrappedPetitionKey(bytes: Array($0)) }, keyLayers: try StoredValue.layers(layers),
                state: try StoredValue.state(state),
                createdAt: StoredValue.date(created), closedAt: closed.map(StoredValue.date), keyShreddedAt: shredded.map(StoredValue.date))
            totals.append(PetitionTotal(petition: petition, total: Int(total)))
        }
        return totals
    }
}
