import CountersignCore
import CountersignCrypto
import CountersignStorage
import Foundation
import PostgresNIO
import Testing

/// Runs `StoreCrashWorker` as a child process and collects the pseudonyms it acknowledged.
struct CrashWorker {
    private let child: ChildProcess
    private let collected: Task<Data, Never>

    init(database: String, firstSigner: Int) throws {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("StoreCrashWorker")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw CrashTestError("StoreCrashWorker is not built next to the tests at \(binary.path); run `swift build --build-tests`")
        }
        child = try ChildProcess(binary.path, [database, String(firstSigner)], captureOutput: true)
        let reader = child.output
        // Read on a thread of its own: the pipe must keep draining while the worker runs, and a blocking read
        // must not hold one of the few cooperative threads.
        collected = Task {
            await withCheckedContinuation { continuation in
                Thread.detachNewThread { continuation.resume(returning: reader?.readDataToEndOfFile() ?? Data()) }
            }
        }
    }

    /// Kills the worker with SIGKILL and returns the pseudonyms it acknowledged before dying.
    func kill() async -> [Pseudonym] {
        child.kill()
        let text = String(decoding: await collected.value, as: UTF8.self)
        return text.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("ack "), let bytes = try? Hex.decode(String(line.dropFirst(4))) else { return nil }
            return try? Pseudonym(bytes: bytes)
        }
    }
}

struct CrashTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Every acknowledged confirmation must be there: signing again with the same pseudonym answers
/// already-confirmed (and writes nothing). And the aggregates must equal a recount.
func expectSurvived(_ acknowledged: [Pseudonym], in store: any SignatureStore) async throws {
    let slug = try PetitionSlug("crash-test")
    var missing = 0
    for pseudonym in acknowledged {
        let outcome = try await store.sign(PendingRequest(
            slug: slug, pseudonym: pseudonym, tokenID: TokenID(bytes: SecureRandom.bytes(count: 16)), expiresAt: Date().addingTimeInterval(60)))
        if outcome != .alreadyConfirmed { missing += 1 }
    }
    #expect(missing == 0, "\(missing) of \(acknowledged.count) acknowledged confirmations were lost")
    #expect(try await store.aggregates(slug).total >= acknowledged.count)
    let check = try await StoreCheck.run(store)
    #expect(check.passed, "\(check.report)")
}

@Suite("Crash safety")
struct SQLiteCrashTests {
    @Test("SQLite: SIGKILL of a confirming process at random moments loses no acknowledged confirmation and no count")
    func sqliteKill() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("countersign-crash-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = "sqlite:" + folder.appendingPathComponent("countersign.sqlite").path
        var total = 0
        for round in 0..<5 {
            let worker = try CrashWorker(database: database, firstSigner: round * 1_000_000)
            try await Task.sleep(for: .milliseconds(Int.random(in: 400...1500)))
            let acknowledged = await worker.kill()
            total += acknowledged.count
            try await DatabaseLocation(database).withStore { store in try await expectSurvived(acknowledged, in: store) }
        }
        #expect(total > 0, "the worker acknowledged nothing before being killed")
    }
}

/// Kills the PostgreSQL server itself. Run on its own (`make test` runs it after the other suites), because
/// it takes the shared test server down for a moment.
@Suite("PostgreSQL server crash", .serialized)
struct PostgresCrashTests {
    @Test("PostgreSQL: SIGKILL of the server mid-confirmation loses no acknowledged confirmation and no count")
    func postgresKill() async throws {
        guard let data = ProcessInfo.processInfo.environment["COUNTERSIGN_TEST_POSTGRES_DATA"] else {
            throw CrashTestError("COUNTERSIGN_TEST_POSTGRES_DATA is not set: this test kills the server, so it needs the cluster `make test` starts")
        }
        let cluster = URL(fileURLWithPath: data).deletingLastPathComponent().path
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("support/postgres.sh").path
        let url = try TestPostgres.url()
        try await TestPostgres.withClient(PostgresSignatureStore.configuration(url: url)) { admin in
            try await admin.query("DROP SCHEMA IF EXISTS public CASCADE")
            try await admin.query("CREATE SCHEMA public")
        }
        var total = 0
        for round in 0..<3 {
            let worker = try CrashWorker(database: url, firstSigner: round * 1_000_000)
            try await Task.sleep(for: .milliseconds(Int.random(in: 800...2000)))
            try run(script, "crash", cluster)
            // The worker dies while the server is down, so nothing it sent can commit after the restart.
            let acknowledged = await worker.kill()
            try run(script, "restart", cluster)
            total += acknowledged.count
            try await DatabaseLocation(url).withStore { store in try await expectSurvived(acknowledged, in: store) }
        }
        #expect(total > 0, "the worker acknowledged nothing before the server was killed")
    }

    private func run(_ script: String, _ arguments: String...) throws {
        guard try ChildProcess("/bin/bash", [script] + arguments).wait() == 0 else {
            throw CrashTestError("postgres.sh \(arguments.joined(separator: " ")) failed")
        }
    }
}
