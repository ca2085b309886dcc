import Foundation

/// What an auditor fetches from a log: the signed checkpoint and every entry. Fetched from a running service
/// (`GET /audit/…`, by `CountersignServer`'s `AuditFetcher`) or read from a file saved earlier, a JSON object
/// `{"checkpoint": NOTE, "entries": [TEXT, …]}` (`countersign audit verify --save FILE`).
public struct AuditSnapshot: Sendable, Codable, Equatable {
    public var checkpoint: String
    public var entries: [String]

    public init(checkpoint: String, entries: [String]) {
        self.checkpoint = checkpoint
        self.entries = entries
    }

    /// Reads a saved snapshot.
    public static func load(file: String) throws -> AuditSnapshot {
        do {
            return try JSONDecoder().decode(AuditSnapshot.self, from: Data(contentsOf: URL(fileURLWithPath: file)))
        } catch {
            throw AuditFetchError(
                .notALogFile, reason: "\(file) is not an audit-log file ({\"checkpoint\": …, \"entries\": […]}): \(error.localizedDescription)")
        }
    }

    /// Writes the snapshot as JSON.
    public func save(file: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(self).write(to: URL(fileURLWithPath: file), options: .atomic)
    }
}
