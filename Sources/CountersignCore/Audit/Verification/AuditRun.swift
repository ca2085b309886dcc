import Foundation

/// One run of `countersign audit verify`: fetch the log (or read a saved file), fetch the consistency proof from the
/// checkpoint stored last time, verify everything with ``AuditVerifier``, and store the new checkpoint if it passed.
public enum AuditRun {
    /// Where the log comes from.
    public enum Source: Sendable {
        /// A running service's base URL.
        case url(String)
        /// A file saved with `--save`.
        case file(String)
    }

    /// Verifies the log from `source` against the verifier key `key`; returns the report.
    ///
    /// - Parameters:
    ///   - statePath: where the last verified checkpoint is kept; ``AuditState/defaultPath(origin:)`` if `nil`.
    ///   - saveTo: also save the fetched log there, for a later `--log` run.
    public static func verify(_ source: Source, key: String, statePath: String?, saveTo: String?, today: Date) async throws -> AuditReport {
        let trusted = try SignedNote.Verifier(encoded: key.trimmingCharacters(in: .whitespacesAndNewlines))
        let path = statePath ?? AuditState.defaultPath(origin: trusted.name)
        let previous = try AuditState.load(path)
        let snapshot: AuditSnapshot
        switch source {
        case .url(let base): snapshot = try await AuditSnapshot.fetch(base: base)
        case .file(let file): snapshot = try AuditSnapshot.load(file: file)
        }
        if let saveTo { try snapshot.save(file: saveTo) }
        var proof: [[UInt8]]?
        if let previous {
            let size = (try? Checkpoint(text: SignedNote(encoded: snapshot.checkpoint).text).size) ?? snapshot.entries.count
            switch source {
            case .url(let base): proof = try await AuditSnapshot.fetchConsistencyProof(base: base, old: previous.size, new: size)
            case .file: proof = try localConsistencyProof(entries: snapshot.entries, old: previous.size, new: size)
            }
        }
        let report = AuditVerifier(trusted: trusted, today: today)
            .verify(checkpoint: snapshot.checkpoint, entries: snapshot.entries, previous: previous, consistencyProof: proof)
        if report.passed { try AuditState.save(snapshot.checkpoint, to: path) }
        return report
    }

    /// For a saved log file there is no server to ask, so the proof is computed from the entries themselves; the
    /// verifier then checks it against both roots like any proof.
    static func localConsistencyProof(entries: [String], old: Int, new: Int) throws -> [[UInt8]] {
        guard old > 0, old < new, new <= entries.count else { return [] }
        return try MerkleTree(entries: entries.map { Array($0.utf8) }).consistencyProof(oldSize: old, newSize: new) ?? []
    }
}
