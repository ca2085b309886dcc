import CountersignCore
import CountersignStorage
import Foundation
import Logging
import PostgresNIO
import Testing

/// The three stores the contract suite runs against.
enum StoreKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case memory, sqlite, postgres

    var testDescription: String { rawValue }

    /// Runs `body` with a fresh, empty store of this kind, then tears it down.
    func withStore<T: Sendable>(_ body: (any SignatureStore) async throws -> T) async throws -> T {
        switch self {
        case .memory:
            return try await body(InMemorySignatureStore())
        case .sqlite:
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("countersign-store-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            return try await body(SQLiteSignatureStore(path: folder.appendingPathComponent("countersign.sqlite").path))
        case .postgres:
            return try await TestPostgres.withFreshSchema { client in
                let store = PostgresSignatureStore(client: client)
                try await store.migrate()
                return try await body(store)
            }
        }
    }
}

/// The PostgreSQL server the tests use: `COUNTERSIGN_TEST_POSTGRES_URL`, which `make test` sets after starting a
/// throwaway cluster on 127.0.0.1. Without it the PostgreSQL tests fail; they never skip.
enum TestPostgres {
    struct Missing: Error, CustomStringConvertible {
        var description: String {
            "COUNTERSIGN_TEST_POSTGRES_URL is not set: run `make test`, which starts a throwaway PostgreSQL, or point it at a server"
        }
    }

    static func url() throws -> String {
        guard let url = ProcessInfo.processInfo.environment["COUNTERSIGN_TEST_POSTGRES_URL"], !url.isEmpty else { throw Missing() }
        return url
    }

    /// Runs `body` with a client whose connections use a new schema of their own, dropped afterwards, so that
    /// tests share the server but not tables.
    static func withFreshSchema<T: Sendable>(_ body: (PostgresClient) async throws -> T) async throws -> T {
        let schema = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let base = try PostgresSignatureStore.configuration(url: url())
        try await withClient(base) { admin in
            try await admin.query("CREATE SCHEMA \(unescaped: schema)")
        }
        var scoped = base
        scoped.options.additionalStartupParameters = [("search_path", schema)]
        do {
            let result = try await withClient(scoped, body)
            try await withClient(base) { admin in try await admin.query("DROP SCHEMA \(unescaped: schema) CASCADE") }
            return result
        } catch {
            try? await withClient(base) { admin in try await admin.query("DROP SCHEMA \(unescaped: schema) CASCADE") }
            throw error
        }
    }

    static func withClient<T: Sendable>(_ configuration: PostgresClient.Configuration, _ body: (PostgresClient) async throws -> T) async throws -> T {
        let client = PostgresClient(configuration: configuration, backgroundLogger: Logger(label: "test.postgres"))
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            return try await body(client)
        }
    }
}
