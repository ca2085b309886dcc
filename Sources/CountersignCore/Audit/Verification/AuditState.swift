import Foundation

/// The auditor's memory between runs of `countersign audit verify`: the last checkpoint that verified, so the next
/// run can prove the log only grew since (consistency) instead of trusting a rewritten history, and the date and size
/// of every audit that passed, so that entries which appear later dated before an audit that did not see them are
/// caught (`no-backdating`).
///
/// Stored as JSON, `{"checkpoint": NOTE, "audits": [{"date": ISO 8601, "size": N}, …]}`; a file written before audits
/// were recorded holds the signed note alone and still loads, with no audits.
public struct AuditState: Sendable, Codable, Equatable {
    /// One audit that passed: when (the auditor's clock) and how many entries it saw.
    public struct Audit: Sendable, Codable, Equatable {
        public let date: Date
        public let size: Int

        public init(date: Date, size: Int) {
            self.date = date
            self.size = size
        }
    }

    /// The last checkpoint that verified, as a signed note.
    public var checkpoint: String
    /// Every audit that passed, oldest first.
    public var audits: [Audit]

    public init(checkpoint: String, audits: [Audit]) {
        self.checkpoint = checkpoint
        self.audits = audits
    }

    /// `~/.local/state/countersign/audit-ORIGIN.checkpoint`, with the origin's `/` and `:` made safe for a file name.
    public static func defaultPath(origin: String) -> String {
        let home = ProcessInfo.processInfo.environment["XDG_STATE_HOME"]
            ?? (NSHomeDirectory() as NSString).appendingPathComponent(".local/state")
        let name = origin.map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" ? $0 : "_" }
        return (home as NSString).appendingPathComponent("countersign/audit-\(String(name)).checkpoint")
    }

    /// The stored state, or `nil` on a first run.
    public static func load(_ path: String) throws -> AuditState? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            let state: AuditState
            if data.first == UInt8(ascii: "{") {
                let decoder = JSONDecoder()
                decoder.dateDecodingStrategy = .iso8601
                state = try decoder.decode(AuditState.self, from: data)
            } else {
                state = AuditState(checkpoint: String(decoding: data, as: UTF8.self), audits: [])
            }
            _ = try state.previous()
            return state
        } catch {
            throw AuditFetchError(
                .unreadableState,
                reason: "the stored checkpoint \(path) cannot be read (\(error)); remove it to start over, knowing the history since is then unchecked")
        }
    }

    /// The stored checkpoint.
    public func previous() throws -> Checkpoint {
        try Checkpoint(text: SignedNote(encoded: checkpoint).text)
    }

    /// Writes the state for the next run, atomically.
    public func save(to path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        try encoder.encode(self).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
