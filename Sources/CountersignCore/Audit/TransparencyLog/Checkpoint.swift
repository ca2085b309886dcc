import Foundation

/// A C2SP tlog checkpoint (https://c2sp.org/tlog-checkpoint), the body of a ``SignedNote``:
///
///     ORIGIN\n
///     TREE SIZE (decimal)\n
///     BASE64(ROOT HASH)\n
public struct Checkpoint: Sendable, Equatable {
    public let origin: String
    public let size: Int
    public let rootHash: [UInt8]

    public init(origin: String, size: Int, rootHash: [UInt8]) {
        self.origin = origin
        self.size = size
        self.rootHash = rootHash
    }

    /// The checkpoint's text, the note body that is signed.
    public var text: String {
        "\(origin)\n\(size)\n\(Data(rootHash).base64EncodedString())\n"
    }

    /// Parses a checkpoint body (extension lines after the root are allowed and ignored).
    public init(text: String) throws(AuditError) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count >= 4, lines.last == "", !lines[0].isEmpty, let size = Int(lines[1]), size >= 0,
            String(size) == lines[1], let root = Data(base64Encoded: String(lines[2])), root.count == 32
        else { throw AuditError(.malformedCheckpoint) }
        self.init(origin: String(lines[0]), size: size, rootHash: Array(root))
    }
}
