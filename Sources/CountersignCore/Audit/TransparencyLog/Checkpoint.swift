import CountersignCrypto

/// A C2SP tlog checkpoint (https://c2sp.org/tlog-checkpoint), the body of a ``SignedNote``:
///
///     ORIGIN\n
///     TREE SIZE (decimal)\n
///     BASE64(ROOT HASH)\n
///     EXTENSION LINE\n …          (optional, each non-empty)
///
/// The audit log's checkpoints carry no extension line; a count log's carries its count (``CountCheckpoint``).
public struct Checkpoint: Sendable, Equatable {
    public let origin: String
    public let size: Int
    public let rootHash: [UInt8]
    /// The extension lines after the root, without their newlines; opaque to the tree (tlog-checkpoint, "Note text").
    public let extensions: [String]

    public init(origin: String, size: Int, rootHash: [UInt8], extensions: [String] = []) {
        self.origin = origin
        self.size = size
        self.rootHash = rootHash
        self.extensions = extensions
    }

    /// The checkpoint's text, the note body that is signed.
    public var text: String {
        "\(origin)\n\(size)\n\(Base64.encode(rootHash))\n" + extensions.map { $0 + "\n" }.joined()
    }

    /// Parses a checkpoint body, the text of a signed note (``SignedNote/isValidText(_:)``); extension lines after the root
    /// are kept in ``extensions`` and must be non-empty. Only the form ``text`` gives is accepted.
    public init(text: String) throws(AuditError) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard SignedNote.isValidText(text), lines.count >= 4, lines.last == "", !lines[0].isEmpty, let size = Int(lines[1]), size >= 0,
            String(size) == lines[1], let root = try? Base64.decode(lines[2]), root.count == 32
        else { throw AuditError(.malformedCheckpoint) }
        let extensions = lines[3..<(lines.count - 1)]
        guard !extensions.contains(where: \.isEmpty) else {
            throw AuditError(.malformedCheckpoint, reason: "a checkpoint's extension lines must not be empty (c2sp.org/tlog-checkpoint)")
        }
        self.init(origin: String(lines[0]), size: size, rootHash: Array(root), extensions: extensions.map(String.init))
    }
}
