import Foundation

/// The auditor's memory between runs of `countersign audit verify`: the last checkpoint that verified, so the next
/// run can prove the log only grew since (consistency) instead of trusting a rewritten history.
public enum AuditState {
    /// `~/.local/state/countersign/audit-ORIGIN.checkpoint`, with the origin's `/` and `:` made safe for a file name.
    public static func defaultPath(origin: String) -> String {
        let home = ProcessInfo.processInfo.environment["XDG_STATE_HOME"]
            ?? (NSHomeDirectory() as NSString).appendingPathComponent(".local/state")
        let name = origin.map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" ? $0 : "_" }
        return (home as NSString).appendingPathComponent("countersign/audit-\(String(name)).checkpoint")
    }

    /// The stored checkpoint, or `nil` on a first run.
    public static func load(_ path: String) throws -> Checkpoint? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        do {
            return try Checkpoint(text: SignedNote(encoded: String(contentsOfFile: path, encoding: .utf8)).text)
        } catch {
            throw AuditFetchError(
                .unreadableState,
                reason: "the stored checkpoint \(path) cannot be read (\(error)); remove it to start over, knowing the history since is then unchecked")
        }
    }

    /// Stores a verified checkpoint (a signed note) for the next run.
    public static func save(_ note: String, to path: String) throws {
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(note.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
