import CountersignCore
import Foundation
import Logging
import PostgresNIO

/// Where the store lives, as given by `--database`: `sqlite:PATH` (the embedded default) or a
/// `postgres://user:password@host:port/database` URL.
public enum DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String, durability: SQLiteSignatureStore.Durability)
    case postgres(url: String)

    /// The default: `sqlite:.countersign/countersign.sqlite`.
    public static let defaultValue = "sqlite:.countersign/countersign.sqlite"

    /// Parses `sqlite:PATH[?synchronous=full]` or a `postgres://` / `postgresql://` URL.
    public init(_ text: String) throws(StoreError) {
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            self = .postgres(url: text)
            return
        }
        guard text.hasPrefix("sqlite:") else {
            throw StoreError(.unavailable, "--database takes sqlite:PATH or postgres://user:password@host:port/database")
        }
        var path = String(text.dropFirst("sqlite:".count))
        var durability = SQLiteSignatureStore.Durability.normal
        if let query = path.firstIndex(of: "?") {
            let option = path[path.index(after: query)...]
            guard option == "synchronous=full" || option == "synchronous=normal" else {
                throw StoreError(.unavailable, "the only sqlite option is ?synchronous=normal|full")
            }
            durability = option == "synchronous=full" ? .full : .normal
            path = String(path[..<query])
        }
        guard !path.isEmpty else { throw StoreError(.unavailable, "sqlite: needs a file path, as in sqlite:.countersign/countersign.sqlite") }
        self = .sqlite(path: path, durability: durability)
    }

    /// Without the PostgreSQL password.
    public var description: String {
        switch self {
        case .sqlite(let path, let durability): "sqlite:\(path) (synchronous=\(durability.rawValue))"
        case .postgres(let url):
            if let at = url.lastIndex(of: "@"), let scheme = url.range(of: "://") {
                "\(url[..<scheme.upperBound])…\(url[at...])"
            } else {
                url
            }
        }
    }

    /// Opens the store, runs `body` with it, and closes it. A PostgreSQL client runs for the length of `body`.
    public func withStore<T: Sendable>(
        logger: Logger = Logger(label: "countersign.store"),
        _ body: @Sendable (any SignatureStore) async throws -> T
    ) async throws -> T {
        switch self {
        case .sqlite(let path, let durability):
            return try await body(SQLiteSignatureStore(path: path, durability: durability))
        case .postgres(let url):
            let client = PostgresClient(configuration: try PostgresSignatureStore.configuration(url: url), backgroundLogger: logger)
            return try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await client.run() }
                defer { group.cancelAll() }
                let store = PostgresSignatureStore(client: client, logger: logger)
                try await Self.migrate(store, within: .seconds(20), url: url)
                return try await body(store)
            }
        }
    }

    /// Migrates, or gives up at `deadline`: the client retries a connection that fails (a server that is down, a
    /// certificate that does not verify) for ever, logging each reason, and a command or a starting server must end
    /// with an error instead.
    private static func migrate(_ store: PostgresSignatureStore, within deadline: Duration, url: String) async throws {
        let migrated = try await withThrowingTaskGroup(of: Bool.self) { race in
            race.addTask {
                try await store.migrate()
                return true
            }
            race.addTask {
                try await Task.sleep(for: deadline)
                return false
            }
            defer { race.cancelAll() }
            return try await race.next() ?? false
        }
        guard migrated else {
            throw StoreError(
                .unavailable,
                "cannot connect to PostgreSQL at \(DatabaseLocation.postgres(url: url)) within \(deadline); the warnings above say why each attempt failed (a server that is down, a refused password, a certificate that does not verify against sslrootcert)")
        }
    }
}
