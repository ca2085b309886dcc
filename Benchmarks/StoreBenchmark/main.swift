// Measures the signature stores for `Benchmarks/store.sh`, one figure per run, so that the script can
// interleave each store with its raw baseline (a plain SQLite insert loop here, `pgbench` there) in every
// round. `Benchmarks/store.md` describes the method.
//
//   StoreBenchmark sqlite-populate PATH SIGNATURES          fill the petition `bench` up to SIGNATURES rows
//   StoreBenchmark sqlite-store PATH OPS SECONDS TASKS      prints "SIGNS/s CONFIRMS/s"
//   StoreBenchmark sqlite-raw PATH OPS SECONDS              prints "INSERT-TRANSACTIONS/s"
//   StoreBenchmark sqlite-check PATH                        recount every petition against its aggregates
//   StoreBenchmark sqlite-export PATH SECONDS               prints "EXPORTS/s": region exports through PetitionExport
//   StoreBenchmark sqlite-count PATH SECONDS                prints "COUNTS/s": the same table counted from the rows
//   StoreBenchmark postgres-populate URL SIGNATURES
//   StoreBenchmark postgres-store URL OPS SECONDS TASKS     prints "SIGNS/s CONFIRMS/s"
//   StoreBenchmark postgres-check URL
import CountersignCore
import CountersignStorage
import Foundation
import GRDB
import Logging
import PostgresNIO

struct BenchmarkError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }

    static let usage = BenchmarkError(
        "usage: StoreBenchmark sqlite-populate|postgres-populate PATH|URL SIGNATURES\n"
            + "       StoreBenchmark sqlite-store|postgres-store PATH|URL OPS SECONDS TASKS\n"
            + "       StoreBenchmark sqlite-raw PATH OPS SECONDS\n"
            + "       StoreBenchmark sqlite-check|postgres-check PATH|URL\n"
            + "       StoreBenchmark sqlite-export|sqlite-count PATH SECONDS")
}

// MARK: - Petitions and requests

/// The petition whose signatures the stores add, and which the populate commands fill.
let benchSlug = "bench"
let benchRegions = ["north", "south", "east", "west"]
/// The petition whose signature rows the raw baselines insert straight into the same `signature` table, so
/// both write into one B-tree of the same size. The check commands recompute its aggregates from its rows.
let rawSlug = "raw-baseline"

func makePetition(_ slug: String, regions: [String]) throws -> PetitionRecord {
    try PetitionRecord(
        slug: PetitionSlug(slug), title: "Store benchmark", text: "Rows written by Benchmarks/store.sh.", regions: regions,
        salt: randomBytes(16), wrappedKey: nil, createdAt: Date())
}

/// Creates the two benchmark petitions if missing; refuses a database that holds any other petition, since
/// the benchmark writes millions of rows.
func preparePetitions(_ store: any SignatureStore) async throws {
    let slugs = try await store.petitions().map(\.slug.value)
    guard slugs.allSatisfy({ $0 == benchSlug || $0 == rawSlug }) else {
        throw BenchmarkError("the database holds petitions other than the benchmark's; use an empty, throwaway database")
    }
    if !slugs.contains(benchSlug) { try await store.createPetition(makePetition(benchSlug, regions: benchRegions)) }
    if !slugs.contains(rawSlug) { try await store.createPetition(makePetition(rawSlug, regions: ["north"])) }
}

func randomBytes(_ count: Int) -> [UInt8] {
    var generator = SystemRandomNumberGenerator()
    var bytes: [UInt8] = []
    bytes.reserveCapacity(count + 7)
    while bytes.count < count {
        withUnsafeBytes(of: generator.next() as UInt64) { bytes.append(contentsOf: $0) }
    }
    return Array(bytes.prefix(count))
}

/// `count` sign requests for new signers, one in five without a region, dealt round-robin into `tasks` slices.
func makeRequests(count: Int, tasks: Int) throws -> [[PendingRequest]] {
    let slug = try PetitionSlug(benchSlug)
    let expires = Date().addingTimeInterval(86_400)
    var slices = [[PendingRequest]](repeating: [], count: tasks)
    for index in 0..<count {
        let request = PendingRequest(
            slug: slug, pseudonym: try Pseudonym(bytes: randomBytes(Pseudonym.length)),
            region: index % 5 == 0 ? nil : benchRegions[index % benchRegions.count], tokenID: try TokenID(bytes: randomBytes(Token.idLength)),
            expiresAt: expires)
        slices[index % tasks].append(request)
    }
    return slices
}

// MARK: - Measuring

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
}

/// Runs `operation` over each slice from a task of its own until every item is done or `limit` seconds have
/// passed; returns how many items of each slice were done and the rate over all slices.
func drive<Item: Sendable>(
    _ slices: [[Item]], limit: Double, _ operation: @escaping @Sendable (Item) async throws -> Void
) async throws -> (done: [Int], perSecond: Double) {
    let clock = ContinuousClock()
    let start = clock.now
    let deadline = start + .milliseconds(Int64(limit * 1000))
    let done = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
        for (index, slice) in slices.enumerated() {
            group.addTask {
                var count = 0
                for item in slice {
                    guard clock.now < deadline else { break }
                    try await operation(item)
                    count += 1
                }
                return (index, count)
            }
        }
        var done = [Int](repeating: 0, count: slices.count)
        for try await (index, count) in group { done[index] = count }
        return done
    }
    let elapsed = seconds(clock.now - start)
    return (done, Double(done.reduce(0, +)) / elapsed)
}

/// Signs `operations` new signers from `tasks` concurrent tasks, then confirms those that were signed in time;
/// prints both rates.
func measureSignAndConfirm(_ store: any SignatureStore, operations: Int, limit: Double, tasks: Int) async throws {
    let slices = try makeRequests(count: operations, tasks: tasks)
    let signs = try await drive(slices, limit: limit) { request in
        let outcome = try await store.sign(request)
        guard outcome == .pending else { throw BenchmarkError("sign answered \(outcome), not pending") }
    }
    let signed = zip(slices, signs.done).map { Array($0.prefix($1)) }
    let confirms = try await drive(signed, limit: limit) { request in
        let outcome = try await store.confirm(tokenID: request.tokenID, at: Date(), commit: anyReceipt)
        guard outcome.counted else { throw BenchmarkError("confirm answered \(outcome), not confirmed") }
    }
    print(String(format: "%.0f %.0f", signs.perSecond, confirms.perSecond))
}

/// Fails unless every petition's maintained aggregates equal a recount of its rows, as `countersign store
/// check` requires; prints the totals.
func checkConsistent(_ store: any SignatureStore, label: String) async throws {
    var totals: [String] = []
    for petition in try await store.petitions() {
        let recount = try await store.recount(petition.slug)
        guard recount.consistent else {
            throw BenchmarkError("\(label): the aggregates of \(petition.slug) differ from a recount of its rows")
        }
        totals.append("\(petition.slug) \(recount.maintained.total)")
    }
    print("\(label): aggregates match a recount (signatures: \(totals.joined(separator: ", ")))")
}

// MARK: - SQLite

/// A connection of its own beside the store's pool, with the store's pragmas (the file is in WAL mode already).
func sqliteQueue(_ path: String, cacheKiB: Int? = nil) throws -> DatabaseQueue {
    var configuration = Configuration()
    configuration.busyMode = .timeout(10)
    configuration.prepareDatabase { db in
        try db.execute(sql: "PRAGMA synchronous = NORMAL")
        try db.execute(sql: "PRAGMA secure_delete = ON")
        if let cacheKiB { try db.execute(sql: "PRAGMA cache_size = -\(cacheKiB)") }
    }
    let queue = try DatabaseQueue(path: path, configuration: configuration)
    let mode = try queue.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
    guard mode == "wal" else { throw BenchmarkError("\(path) is in journal mode \(mode ?? "?"), not WAL as the store leaves it") }
    return queue
}

func sqlitePetitionID(_ db: Database, _ slug: String) throws -> Int64 {
    guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM petition WHERE slug = ?", arguments: [slug]) else {
        throw BenchmarkError("no petition \(slug)")
    }
    return id
}

/// Sets a petition's total, day and region counts to a recount of its signature rows.
func sqliteRecount(_ db: Database, petitionID: Int64) throws {
    let arguments: StatementArguments = ["id": petitionID]
    try db.execute(sql: "UPDATE petition SET total = (SELECT count(*) FROM signature WHERE petition_id = :id) WHERE id = :id", arguments: arguments)
    try db.execute(sql: "DELETE FROM day_count WHERE petition_id = :id", arguments: arguments)
    try db.execute(
        sql: "INSERT INTO day_count SELECT petition_id, day, count(*) FROM signature WHERE petition_id = :id GROUP BY day", arguments: arguments)
    try db.execute(sql: "DELETE FROM region_count WHERE petition_id = :id", arguments: arguments)
    try db.execute(
        sql: "INSERT INTO region_count SELECT petition_id, region, count(*) FROM signature WHERE petition_id = :id AND region IS NOT NULL GROUP BY region",
        arguments: arguments)
}

/// Adds rows to the petition `bench` until it holds `target` signatures, spread over a year back from today,
/// one in five without a region; then recounts its aggregates. The rows are sorted by pseudonym before
/// insertion, so the B-tree is written in key order.
func sqlitePopulate(path: String, target: Int) async throws {
    try await preparePetitions(SQLiteSignatureStore(path: path))
    let queue = try sqliteQueue(path, cacheKiB: 1_000_000)
    try await queue.write { db in
        let id = try sqlitePetitionID(db, benchSlug)
        let current = try Int.fetchOne(db, sql: "SELECT total FROM petition WHERE id = ?", arguments: [id]) ?? 0
        guard target > current else { return }
        try db.execute(
            sql: """
                WITH RECURSIVE n(i) AS (SELECT :first UNION ALL SELECT i + 1 FROM n WHERE i < :last)
                INSERT INTO signature (petition_id, pseudonym, day, region)
                SELECT :petition, randomblob(32), date(:today, '-' || (i % 365) || ' days'),
                       CASE WHEN i % 5 = 0 THEN NULL ELSE CASE i % 4 WHEN 0 THEN 'north' WHEN 1 THEN 'south' WHEN 2 THEN 'east' ELSE 'west' END END
                FROM n ORDER BY 2
                """,
            arguments: ["petition": id, "first": current + 1, "last": target, "today": UTCDay.of(Date())])
        try sqliteRecount(db, petitionID: id)
    }
    // Leaves the measurements a short WAL rather than the population's.
    try await queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
}

/// The raw baseline: one connection inserting signature rows like the store's confirm does, one INSERT per
/// transaction, for at most `operations` rows or `limit` seconds.
func sqliteRaw(path: String, operations: Int, limit: Double) async throws {
    let queue = try sqliteQueue(path)
    let pseudonyms = (0..<operations).map { _ in Data(randomBytes(Pseudonym.length)) }
    let day = UTCDay.of(Date())
    let rate = try await queue.writeWithoutTransaction { db in
        let id = try sqlitePetitionID(db, rawSlug)
        let insert = try db.makeStatement(
            sql: "INSERT INTO signature (petition_id, pseudonym, day, region) VALUES (?, ?, ?, 'north') ON CONFLICT DO NOTHING")
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = start + .milliseconds(Int64(limit * 1000))
        var done = 0
        for pseudonym in pseudonyms {
            guard clock.now < deadline else { break }
            try db.inTransaction(.immediate) {
                try insert.execute(arguments: [id, pseudonym, day])
                return .commit
            }
            done += 1
        }
        return Double(done) / seconds(clock.now - start)
    }
    print(String(format: "%.0f", rate))
}

/// Recounts the raw petition (the raw loop skips aggregates), then checks every petition.
func sqliteCheck(path: String) async throws {
    try await sqliteQueue(path).write { db in try sqliteRecount(db, petitionID: sqlitePetitionID(db, rawSlug)) }
    try await checkConsistent(SQLiteSignatureStore(path: path), label: "sqlite")
}

/// Region exports of the petition `bench` through ``PetitionExport`` (aggregates, suppression, CSV, the ledger),
/// one after another for `limit` seconds; prints the rate.
func sqliteExport(path: String, limit: Double) async throws {
    let export = PetitionExport(store: try await SQLiteSignatureStore(path: path))
    let slug = try PetitionSlug(benchSlug)
    let rate = try await repeatFor(limit) { _ = try await export.rendered(slug, by: .region, format: .csv, now: Date()) }
    print(String(format: "%.0f", rate))
}

/// The baseline an export without maintained aggregates would need: the region table counted from the signature
/// rows with one raw SQLite query, one after another for `limit` seconds; prints the rate.
func sqliteCount(path: String, limit: Double) async throws {
    let queue = try sqliteQueue(path)
    let id = try await queue.read { db in try sqlitePetitionID(db, benchSlug) }
    let rate = try await repeatFor(limit) {
        _ = try await queue.read { db in
            try Row.fetchAll(db, sql: "SELECT region, count(*) FROM signature WHERE petition_id = ? GROUP BY region", arguments: [id])
        }
    }
    print(String(format: "%.0f", rate))
}

/// Runs `body` repeatedly for `limit` seconds (at least once); returns runs per second.
func repeatFor(_ limit: Double, _ body: () async throws -> Void) async throws -> Double {
    let clock = ContinuousClock()
    let start = clock.now
    let deadline = start + .milliseconds(Int64(limit * 1000))
    var runs = 0
    repeat {
        try await body()
        runs += 1
    } while clock.now < deadline
    return Double(runs) / seconds(clock.now - start)
}

// MARK: - PostgreSQL

/// Runs `body` with a running client of at most `connections` connections.
func withPostgres<T: Sendable>(url: String, connections: Int = 4, _ body: (PostgresClient) async throws -> T) async throws -> T {
    var configuration = try PostgresSignatureStore.configuration(url: url)
    configuration.options.maximumConnections = connections
    var logger = Logger(label: "store-benchmark.postgres")
    logger.logLevel = .error
    let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { await client.run() }
        defer { group.cancelAll() }
        return try await body(client)
    }
}

func postgresPetitionID(_ connection: PostgresConnection, _ slug: String, logger: Logger) async throws -> Int64 {
    for try await id in try await connection.query("SELECT id FROM petition WHERE slug = \(slug)", logger: logger).decode(Int64.self) {
        return id
    }
    throw BenchmarkError("no petition \(slug)")
}

/// Sets a petition's total, day and region counts (their `count_shard` rows) to a recount of its signature rows.
func postgresRecount(_ connection: PostgresConnection, petitionID id: Int64, logger: Logger) async throws {
    try await connection.query("DELETE FROM count_shard WHERE petition_id = \(id)", logger: logger)
    try await connection.query(
        """
        INSERT INTO count_shard (petition_id, breakdown, key, shard, count)
        SELECT \(id), 'total', '', 0, count(*) FROM signature WHERE petition_id = \(id) HAVING count(*) > 0
        UNION ALL SELECT \(id), 'day', day, 0, count(*) FROM signature WHERE petition_id = \(id) GROUP BY day
        UNION ALL SELECT \(id), 'region', region, 0, count(*) FROM signature WHERE petition_id = \(id) AND region IS NOT NULL GROUP BY region
        """, logger: logger)
}

/// Every sign and confirm locks the petition row (`FOR KEY SHARE`, and as a foreign key) and every confirm updates a
/// count shard, leaving a dead row version each time. Until a vacuum those lookups walk the versions, so each round
/// starts from a vacuumed state, as a server whose autovacuum keeps up would be in; `Benchmarks/store.md` describes
/// what happens without.
func vacuumCountRows(_ client: PostgresClient, logger: Logger) async throws {
    try await client.query("VACUUM petition, pending, count_shard", logger: logger)
}

/// The PostgreSQL twin of ``sqlitePopulate(path:target:)``, with the same rows.
func postgresPopulate(url: String, target: Int) async throws {
    let logger = Logger(label: "store-benchmark")
    try await withPostgres(url: url) { client in
        let store = PostgresSignatureStore(client: client)
        try await store.migrate()
        try await preparePetitions(store)
        try await vacuumCountRows(client, logger: logger)
        let added = try await client.withTransaction(logger: logger) { connection -> Bool in
            let id = try await postgresPetitionID(connection, benchSlug, logger: logger)
            var current: Int64 = 0
            for try await total in try await connection.query(
                "SELECT count(*) FROM signature WHERE petition_id = \(id)", logger: logger
            ).decode(Int64.self) {
                current = total
            }
            guard Int64(target) > current else { return false }
            try await connection.query(
                """
                INSERT INTO signature (petition_id, pseudonym, day, region)
                SELECT \(id), uuid_send(gen_random_uuid()) || uuid_send(gen_random_uuid()),
                       to_char(\(UTCDay.of(Date()))::date - (i % 365)::int, 'YYYY-MM-DD'),
                       CASE WHEN i % 5 = 0 THEN NULL ELSE (ARRAY['north', 'south', 'east', 'west'])[i % 4 + 1] END
                FROM generate_series(\(current + 1), \(Int64(target))) AS i ORDER BY 2
                """, logger: logger)
            try await postgresRecount(connection, petitionID: id, logger: logger)
            return true
        }
        guard added else { return }
        // Fresh statistics and a checkpoint, so that neither autovacuum nor the population's dirty pages
        // land in the measurements.
        try await client.query("VACUUM (ANALYZE) signature", logger: logger)
        do {
            try await client.query("CHECKPOINT", logger: logger)
        } catch {
            FileHandle.standardError.write(Data("postgres-populate: CHECKPOINT was refused (not a superuser?); measuring without it\n".utf8))
        }
    }
}

func postgresStore(url: String, operations: Int, limit: Double, tasks: Int) async throws {
    try await withPostgres(url: url, connections: tasks) { client in
        let store = PostgresSignatureStore(client: client)
        try await store.migrate()
        try await vacuumCountRows(client, logger: Logger(label: "store-benchmark"))
        // Opens the pool's connections before the clock starts.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<tasks { group.addTask { try await client.query("SELECT pg_sleep(0.05)") } }
            try await group.waitForAll()
        }
        try await measureSignAndConfirm(store, operations: operations, limit: limit, tasks: tasks)
    }
}

/// Recounts the raw petition (pgbench skips aggregates), then checks every petition.
func postgresCheck(url: String) async throws {
    let logger = Logger(label: "store-benchmark")
    try await withPostgres(url: url) { client in
        try await client.withTransaction(logger: logger) { connection in
            try await postgresRecount(connection, petitionID: postgresPetitionID(connection, rawSlug, logger: logger), logger: logger)
        }
        try await checkConsistent(PostgresSignatureStore(client: client), label: "postgres")
    }
}

// MARK: - Command line

let arguments = Array(CommandLine.arguments.dropFirst())
func argument(_ index: Int) throws -> String {
    guard index < arguments.count else { throw BenchmarkError.usage }
    return arguments[index]
}
func number(_ index: Int) throws -> Int {
    guard let value = Int(try argument(index)), value >= 0 else { throw BenchmarkError.usage }
    return value
}
func duration(_ index: Int) throws -> Double {
    guard let value = Double(try argument(index)), value > 0 else { throw BenchmarkError.usage }
    return value
}
func taskCount(_ index: Int) throws -> Int {
    let value = try number(index)
    guard value > 0 else { throw BenchmarkError.usage }
    return value
}

do {
    switch arguments.first {
    case "sqlite-populate":
        try await sqlitePopulate(path: argument(1), target: number(2))
    case "sqlite-store":
        let store = try await SQLiteSignatureStore(path: argument(1))
        try await measureSignAndConfirm(store, operations: number(2), limit: duration(3), tasks: taskCount(4))
    case "sqlite-raw":
        try await sqliteRaw(path: argument(1), operations: number(2), limit: duration(3))
    case "sqlite-export":
        try await sqliteExport(path: argument(1), limit: duration(2))
    case "sqlite-count":
        try await sqliteCount(path: argument(1), limit: duration(2))
    case "sqlite-check":
        try await sqliteCheck(path: argument(1))
    case "postgres-populate":
        try await postgresPopulate(url: argument(1), target: number(2))
    case "postgres-store":
        try await postgresStore(url: argument(1), operations: number(2), limit: duration(3), tasks: taskCount(4))
    case "postgres-check":
        try await postgresCheck(url: argument(1))
    default:
        throw BenchmarkError.usage
    }
} catch {
    FileHandle.standardError.write(Data("StoreBenchmark \(arguments.first ?? ""): \(error)\n".utf8))
    exit(1)
}

/// A commitment to a fresh secret that no one keeps: these confirmations offer no receipt.
@Sendable func anyReceipt(_ slug: PetitionSlug) throws -> ReceiptCommitment {
    try ReceiptCommitment(slug: slug.value, secret: ReceiptCommitment.randomSecret())
}
