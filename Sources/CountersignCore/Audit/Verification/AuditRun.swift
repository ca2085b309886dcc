import Foundation

/// One run of `countersign audit verify` over what was fetched: the trusted key and the state stored last time
/// (``AuditState``: the checkpoint and the earlier audits), the log's ``AuditSnapshot`` and the consistency proof
/// between them. It verifies everything with ``AuditVerifier`` and, if it passed, stores the new checkpoint and this
/// audit's date and size.
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
    /// The audits that passed before this one.
    public let audits: [AuditState.Audit]

    /// Starts a run: reads the verifier key `key` and the checkpoint stored at `statePath`.
    ///
    /// - Parameter statePath: where the last verified checkpoint is kept; ``AuditState/defaultPath(origin:)`` if `nil`.
    public init(key: String, statePath: String?) throws {
        trusted = try SignedNote.Verifier(encoded: key.trimmingCharacters(in: .whitespacesAndNewlines))
        self.statePath = statePath ?? AuditState.defaultPath(origin: trusted.name)
        let state = try AuditState.load(self.statePath)
        previous = try state?.previous()
        audits = state?.audits ?? []
    }

    /// The consistency proof `snapshot` needs: from the earlier checkpoint's size to the size its checkpoint states
    /// (its entry count if the checkpoint does not parse, which `checkpoint-format` then reports); `nil` on a first
    /// run, which has nothing to be consistent with.
    public func proofSizes(for snapshot: AuditSnapshot) -> (old: Int, new: Int)? {
        guard let previous else { return nil }
        let size = (try? Checkpoint(text: SignedNote(encoded: snapshot.checkpoint).text).size) ?? snapshot.entries.count
        return (previous.size, size)
    }

    /// Verifies `snapshot`, given the log's consistency proof from ``previous``; if every check passed, stores its
    /// checkpoint and this audit (the policy's date and the entries seen) for the next run.
    public func verify(_ snapshot: AuditSnapshot, consistencyProof: [[UInt8]]?, policy: AuditPolicy) throws -> AuditReport {
        let report = AuditVerifier(trusted: trusted, policy: policy).verify(
            checkpoint: snapshot.checkpoint, entries: snapshot.entries, previous: previous, consistencyProof: consistencyProof, audits: audits)
        if report.passed {
            try AuditState(checkpoint: snapshot.checkpoint, audits: audits + [.init(date: policy.today, size: snapshot.entries.count)]).save(to: statePath)
        }
        return report
    }

    /// For a saved log file there is no server to ask, so the proof is computed from the entries themselves; the
    /// verifier then checks it against both roots like any proof.
    public static func localConsistencyProof(entries: [String], old: Int, new: Int) throws -> [[UInt8]] {
        guard old > 0, old < new, new <= entries.count else { return [] }
        return try MerkleTree(entries: entries.map { Array($0.utf8) }).consistencyProof(oldSize: old, newSize: new) ?? []
    }
}
