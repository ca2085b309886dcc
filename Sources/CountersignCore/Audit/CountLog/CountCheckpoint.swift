import CountersignCrypto
import Foundation

/// The checkpoint of a petition's count log: a C2SP tlog checkpoint (``Checkpoint``) whose origin is the audit log's
/// origin followed by `/count/SLUG`, and whose one extension line carries the count the tree's leaves add up to:
///
///     AUDIT ORIGIN/count/SLUG\n
///     TREE SIZE\n
///     BASE64(ROOT HASH)\n
///     count COUNT\n                 COUNT = confirms − withdrawals, a decimal with no leading zeros
///
/// It is signed as a C2SP signed note under its own origin as the key name, by every usable log key (the keys that
/// sign the audit checkpoint): a verifier holding the audit verifier key `AUDIT+ID+KEY` checks it with the same public
/// key under the name `AUDIT/count/SLUG` (``verifier(auditVerifier:)``), and a witness configured for the audit
/// origin covers it (``WitnessedLog``). Witnesses vouch for the tree, not for the extension line: the count is checked
/// by replaying the leaves (``CountVerifier``).
public struct CountCheckpoint: Sendable, Equatable {
    /// The extension line's keyword.
    public static let countKeyword = "count"

    /// The checkpoint, with its one extension line.
    public let checkpoint: Checkpoint
    /// The count the extension line states.
    public let count: Int

    /// The count log's origin for petition `slug` of the service whose audit origin is `auditOrigin`.
    public static func origin(auditOrigin: String, slug: String) -> String {
        "\(auditOrigin)/count/\(slug)"
    }

    /// The slug of a count log's origin under `auditOrigin`, or `nil` if the origin is not `AUDIT/count/SLUG`.
    public static func slug(origin: String, auditOrigin: String) -> String? {
        let prefix = "\(auditOrigin)/count/"
        guard origin.hasPrefix(prefix) else { return nil }
        let slug = String(origin.dropFirst(prefix.count))
        return (try? PetitionSlug(slug)) != nil ? slug : nil
    }

    public init(origin: String, size: Int, rootHash: [UInt8], count: Int) {
        checkpoint = Checkpoint(origin: origin, size: size, rootHash: rootHash, extensions: ["\(Self.countKeyword) \(count)"])
        self.count = count
    }

    /// Reads a count checkpoint: a checkpoint with exactly one extension line, `count N`.
    public init(checkpoint: Checkpoint) throws(AuditError) {
        guard checkpoint.extensions.count == 1 else {
            throw AuditError(
                .malformedCheckpoint,
                reason: "a count checkpoint has one extension line, `count N`, after the root; this one has \(checkpoint.extensions.count)")
        }
        let fields = checkpoint.extensions[0].split(separator: " ", omittingEmptySubsequences: false)
        guard fields.count == 2, fields[0] == Self.countKeyword, let count = Int(fields[1]), String(count) == fields[1] else {
            throw AuditError(
                .malformedCheckpoint, reason: "a count checkpoint's extension line is `count N` (a decimal), not `\(checkpoint.extensions[0])`")
        }
        self.checkpoint = checkpoint
        self.count = count
    }

    /// Reads the body of a signed count checkpoint.
    public init(text: String) throws(AuditError) {
        try self.init(checkpoint: Checkpoint(text: text))
    }

    /// The checkpoint of the count log holding `entries` (every leaf from index 0), under `origin`.
    public init(origin: String, entries: [[UInt8]]) throws(CountLogError) {
        let count = try Self.count(of: entries)
        let tree: MerkleTree
        let root: [UInt8]
        do {
            tree = try MerkleTree(entries: entries)
            root = try tree.root()
        } catch {
            throw .crypto(error)
        }
        self.init(origin: origin, size: tree.size, rootHash: root, count: count)
    }

    /// Confirms minus withdrawals among `entries`; throws on a leaf that does not parse.
    public static func count(of entries: [[UInt8]]) throws(CountLogError) -> Int {
        var count = 0
        for entry in entries {
            switch try CountEvent(entry: entry).kind {
            case .confirm: count += 1
            case .withdraw: count -= 1
            case .shred: break
            }
        }
        return count
    }

    /// The checkpoint's text, the note body that is signed.
    public var text: String { checkpoint.text }

    /// The signed note: signed under the checkpoint's origin by each of `keys` (the usable log keys, primary first).
    public func signed(by keys: [Ed25519PrivateKey]) throws(AuditError) -> SignedNote {
        try SignedNote.sign(text, name: checkpoint.origin, keys: keys)
    }

    /// The key that checks a count checkpoint of origin `origin`: the audit log key under that origin's name.
    public static func verifier(origin: String, auditVerifier: SignedNote.Verifier) -> SignedNote.Verifier {
        SignedNote.Verifier(name: origin, publicKey: auditVerifier.publicKey)
    }
}
