import Foundation

/// One run of `countersign audit verify` over what was fetched: the trusted key and the checkpoint stored last time
/// (``AuditState``), the log's ``AuditSnapshot`` and the consistency proof between them. It verifies everything with
/// ``AuditVerifier`` and stores the new checkpoint if it passed.
///
/// The core verifies bytes and fetches none from the network: `CountersignServer`'s `AuditFetcher` reads a running
/// service, and `AuditRun.fetchAndVerify` there drives a whole run.
public struct AuditRun: Sendable {
    /// The log key the auditor trusts.
    public let trusted: SignedNote.Verifier
    /// Where the last verified checkpoint is kept.
    public let statePath: String
    /// The checkpoint verified last time, or `nil` on a first run.
    public let previous: Checkpoint?

    /// Starts a run: reads the verifier key `key` and the checkpoint stored at `statePath`.
    ///
    /// - Parameter statePath: where the last verified checkpoint is kept; ``AuditState/defaultPath(origin:)`` if `nil`.
    public init(key: String, statePath: String?) throws {
        trusted = try SignedNote.Verifier(encoded: key.trimmingCharacters(in: .whitespacesAndNewlines))
        self.statePath = statePath ?? AuditState.defaultPath(origin: trusted.name)
        previous = try AuditState.load(self.statePath)
    }

    /// The consistency proof `snapshot` needs: from the earlier checkpoint's size to the size its checkpoint states
    /// (its entry count if the checkpoint does not parse, which `checkpoint-format` then reports); `nil` on a first
    /// run, which has nothing to be consistent with.
    public func proofSizes(for snapshot: AuditSnapshot) -> (old: Int, new: Int)? {
        guard let previous else { return nil }
        let size = (try? Checkpoint(text: SignedNote(encoded: snapshot.checkpoint).text).size) ?? snapshot.entries.count
        return (previous.size, size)
    }

    /// Verifies `snapshot`, given the log's consistency proof from ``previous``; stores its checkpoint for the next run
    /// if every check passed.
    public func verify(_ snapshot: AuditSnapshot, consistencyProof: [[UInt8]]?, policy: AuditPolicy) throws -> AuditReport {
        let report = AuditVerifier(trusted: trusted, policy: policy)
            .verify(checkpoint: snapshot.checkpoint, entries: snapshot.entries, previous: previous, consistencyProof: consistencyProof)
        if report.passed { try AuditState.save(snapshot.checkpoint, to: statePath) }
        return report
    }

    /// For a saved log file there is no server to ask, so the proof is computed from the entries themselves; the
    /// verifier then checks it against both roots like any proof.
    public static func localConsistencyProof(entries: [String], old: Int, new: Int) throws -> [[UInt8]] {
        guard old > 0, old < new, new <= entries.count else { return [] }
        return try MerkleTree(entries: entries.map { Array($0.utf8) }).consistencyProof(oldSize: old, newSize: new) ?? []
    }
}
