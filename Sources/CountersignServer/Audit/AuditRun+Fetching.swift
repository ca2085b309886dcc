import CountersignCore
import Foundation

extension AuditRun {
    /// Where `countersign audit verify` reads the log from.
    public enum Source: Sendable {
        /// A running service's base URL, read with ``AuditFetcher``.
        case url(String)
        /// A file saved with `--save`.
        case file(String)
    }

    /// One run of `countersign audit verify`: read the trusted key and the checkpoint stored last time, fetch the log
    /// from `source`, fetch (or, for a file, compute) the consistency proof from that checkpoint, then verify and store
    /// the new checkpoint if it passed.
    ///
    /// - Parameters:
    ///   - key: the verifier key the auditor trusts, `NAME+KEYID+BASE64`.
    ///   - statePath: where the last verified checkpoint is kept; ``AuditState/defaultPath(origin:)`` if `nil`.
    ///   - saveTo: also save the fetched log there, for a later `--log` run.
    public static func fetchAndVerify(_ source: Source, key: String, statePath: String?, saveTo: String?, policy: AuditPolicy) async throws -> AuditReport {
        let run = try AuditRun(key: key, statePath: statePath)
        let snapshot: AuditSnapshot
        switch source {
        case .url(let base): snapshot = try await AuditFetcher(base: base).snapshot()
        case .file(let file): snapshot = try AuditSnapshot.load(file: file)
        }
        if let saveTo { try snapshot.save(file: saveTo) }
        var proof: [[UInt8]]?
        if let sizes = run.proofSizes(for: snapshot) {
            switch source {
            case .url(let base): proof = try await AuditFetcher(base: base).consistencyProof(old: sizes.old, new: sizes.new)
            case .file: proof = try AuditRun.localConsistencyProof(entries: snapshot.entries, old: sizes.old, new: sizes.new)
            }
        }
        return try run.verify(snapshot, consistencyProof: proof, policy: policy)
    }
}
