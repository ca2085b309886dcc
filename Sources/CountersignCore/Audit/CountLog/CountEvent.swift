import CountersignCrypto

/// One leaf of a petition's count log, and its canonical bytes (the RFC 6962 entry; the leaf hash is
/// ``MerkleTree/leafHash(_:)`` of them). Each leaf is one ASCII line naming its epoch:
///
///     confirm EPOCH BASE64(c)\n       a confirmed signature, c its ``ReceiptCommitment``
///     withdraw EPOCH BASE64(c)\n      the withdrawal of the confirmation that logged c
///     shred EPOCH\n                   the petition's key was destroyed; the log ends here
///
/// `EPOCH` is a decimal with no leading zeros, `BASE64` standard base64 with padding (44 characters). Nothing else
/// parses: one event has exactly one leaf. The epoch is in every leaf so that a verifier finds an epoch's leaves by a
/// binary search over entry bundles (epochs never decrease along the log), and reads the boundaries without markers.
public struct CountEvent: Sendable, Hashable {
    /// What happened.
    public enum Kind: Sendable, Hashable {
        case confirm(ReceiptCommitment)
        case withdraw(ReceiptCommitment)
        case shred
    }

    public let kind: Kind
    /// The epoch the event was logged in (``CountEpoch``).
    public let epoch: Int

    public init(_ kind: Kind, epoch: Int) {
        self.kind = kind
        self.epoch = epoch
    }

    /// The commitment a confirm or withdraw names.
    public var commitment: ReceiptCommitment? {
        switch kind {
        case .confirm(let c), .withdraw(let c): c
        case .shred: nil
        }
    }

    /// The leaf's text, one line ending in a newline.
    public var text: String {
        switch kind {
        case .confirm(let c): "confirm \(epoch) \(c.base64)\n"
        case .withdraw(let c): "withdraw \(epoch) \(c.base64)\n"
        case .shred: "shred \(epoch)\n"
        }
    }

    /// The leaf's bytes, the entry the Merkle tree hashes.
    public var entry: [UInt8] { Array(text.utf8) }

    /// Parses a leaf's bytes; anything but the canonical form is refused.
    public init(entry: [UInt8]) throws(CountLogError) {
        let refused = CountLogError(
            .malformedEntry, reason: "a count-log leaf is `confirm EPOCH BASE64(c)`, `withdraw EPOCH BASE64(c)` or `shred EPOCH`, and a newline")
        guard entry.last == UInt8(ascii: "\n"), let line = String(validating: entry.dropLast(), as: UTF8.self) else { throw refused }
        let fields = line.split(separator: " ", omittingEmptySubsequences: false)
        guard fields.count >= 2, let epoch = Int(fields[1]), epoch >= 0, String(epoch) == fields[1] else { throw refused }
        switch (fields[0], fields.count) {
        case ("shred", 2):
            self.init(.shred, epoch: epoch)
        case ("confirm", 3), ("withdraw", 3):
            guard let raw = try? Base64.decode(fields[2]), raw.count == ReceiptCommitment.length else { throw refused }
            let c = try ReceiptCommitment(bytes: raw)
            self.init(fields[0] == "confirm" ? .confirm(c) : .withdraw(c), epoch: epoch)
        default:
            throw refused
        }
    }

    /// The order of leaves within an epoch: by commitment, a confirm before a withdrawal of the same commitment, and a
    /// shred last. Sorting hides the order, and so the time, in which the epoch's events happened.
    public static func epochOrder(_ lhs: CountEvent, _ rhs: CountEvent) -> Bool {
        ClosingCountEpoch.Key(lhs.kind) < ClosingCountEpoch.Key(rhs.kind)
    }
}
