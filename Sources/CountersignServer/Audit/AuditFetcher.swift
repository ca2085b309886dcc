import CountersignCore
import Foundation

/// Fetches what an auditor checks from a running service's public audit routes (`GET /audit/…`): the signed
/// checkpoint, the entries it covers and a consistency proof. It returns them as fetched; ``AuditRun`` in the core
/// verifies them.
public struct AuditFetcher: Sendable {
    /// The service's base URL, such as `https://petitions.example.org`.
    public let base: String

    public init(base: String) {
        self.base = base
    }

    /// Fetches the checkpoint, then the entries it covers, 1,000 at a time.
    public func snapshot() async throws -> AuditSnapshot {
        let checkpoint = try await text("/audit/checkpoint")
        let size = try Checkpoint(text: SignedNote(encoded: checkpoint).text).size
        var entries: [String] = []
        while entries.count < size {
            struct Page: Decodable { let entries: [String] }
            let end = min(size, entries.count + 1000)
            let page = try JSONDecoder().decode(Page.self, from: try await data("/audit/entries?start=\(entries.count)&end=\(end)"))
            guard !page.entries.isEmpty else { break }
            entries += page.entries
        }
        return AuditSnapshot(checkpoint: checkpoint, entries: entries)
    }

    /// Fetches the log's consistency proof from `old` entries to `new`; no request when there is nothing to prove.
    public func consistencyProof(old: Int, new: Int) async throws -> [[UInt8]] {
        guard old > 0, old < new else { return [] }
        struct Proof: Decodable { let proof: [String] }
        let proof = try JSONDecoder().decode(Proof.self, from: try await data("/audit/proof/consistency?old=\(old)&new=\(new)"))
        return try proof.proof.map { hash in
            guard let bytes = Data(base64Encoded: hash) else {
                throw AuditFetchError(.malformedProof, reason: "the consistency proof holds a hash that is not base64")
            }
            return Array(bytes)
        }
    }

    private func text(_ path: String) async throws -> String {
        String(decoding: try await data(path), as: UTF8.self)
    }

    private func data(_ path: String) async throws -> Data {
        try await PublicRoute.get(base: base, path: path)
    }
}
