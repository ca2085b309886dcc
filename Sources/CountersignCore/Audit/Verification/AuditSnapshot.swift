import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// What an auditor fetches from a log: the signed checkpoint and every entry, plus the consistency proof from
/// the checkpoint they saw last time. Read from a running service (`GET /audit/…`) or from a file saved earlier,
/// a JSON object `{"checkpoint": NOTE, "entries": [TEXT, …]}` (`countersign audit verify --save FILE`).
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
            throw AuditFetchError("\(file) is not an audit-log file ({\"checkpoint\": …, \"entries\": […]}): \(error.localizedDescription)")
        }
    }

    /// Writes the snapshot as JSON.
    public func save(file: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(self).write(to: URL(fileURLWithPath: file), options: .atomic)
    }

    /// Fetches the checkpoint, then the entries it covers, 1,000 at a time, from the service at `base`.
    public static func fetch(base: String) async throws -> AuditSnapshot {
        let checkpoint = try await text(base, "/audit/checkpoint")
        let size = try Checkpoint(text: SignedNote(encoded: checkpoint).text).size
        var entries: [String] = []
        while entries.count < size {
            struct Page: Decodable { let entries: [String] }
            let end = min(size, entries.count + 1000)
            let page = try JSONDecoder().decode(Page.self, from: try await data(base, "/audit/entries?start=\(entries.count)&end=\(end)"))
            guard !page.entries.isEmpty else { break }
            entries += page.entries
        }
        return AuditSnapshot(checkpoint: checkpoint, entries: entries)
    }

    /// Fetches the log's consistency proof from `old` entries to `new`.
    public static func fetchConsistencyProof(base: String, old: Int, new: Int) async throws -> [[UInt8]] {
        guard old > 0, old < new else { return [] }
        struct Proof: Decodable { let proof: [String] }
        let proof = try JSONDecoder().decode(Proof.self, from: try await data(base, "/audit/proof/consistency?old=\(old)&new=\(new)"))
        return try proof.proof.map { hash in
            guard let bytes = Data(base64Encoded: hash) else { throw AuditFetchError("the consistency proof holds a hash that is not base64") }
            return Array(bytes)
        }
    }

    private static func text(_ base: String, _ path: String) async throws -> String {
        String(decoding: try await data(base, path), as: UTF8.self)
    }

    private static func data(_ base: String, _ path: String) async throws -> Data {
        let trimmed = base.hasSuffix("/") ? String(base.dropLast()) : base
        guard let url = URL(string: trimmed + path), ["http", "https"].contains(url.scheme) else {
            throw AuditFetchError("\(base) is not an http(s) URL; give the service's base URL, such as https://petitions.example.org")
        }
        let (data, response) = try await URLSession.shared.data(from: url)
        guard let status = (response as? HTTPURLResponse)?.statusCode, status == 200 else {
            throw AuditFetchError("GET \(url) did not answer 200 OK; is this a Countersign service?")
        }
        return data
    }
}

/// The audit log could not be fetched or read; the message says from where and what to check.
public struct AuditFetchError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
