import CountersignCrypto
import Foundation

/// The commitment a count-log leaf carries instead of anything about the signer:
///
///     c = SHA-256("countersign/receipt/v1" ‖ 0x00 ‖ SLUG ‖ r)
///
/// `r` is 32 bytes from ``SecureRandom``, made at confirmation and handed to the signer once, in their ``Receipt``;
/// it is never stored. The store keeps `c` beside the signature so that a withdrawal can name it (`withdraw c`).
/// Without `r`, `c` is a random-looking 32 bytes: it links to no address, pseudonym or time. The slug binds the
/// commitment to one petition, so a receipt of one petition proves nothing in another's log.
public struct ReceiptCommitment: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The domain-separation label, followed by a 0x00 byte.
    public static let label = "countersign/receipt/v1"
    /// The length of `r` and of `c`.
    public static let length = 32

    /// The 32 bytes of `c`.
    public let bytes: [UInt8]

    /// Wraps 32 bytes read back from a leaf or a store.
    public init(bytes: [UInt8]) throws(CountLogError) {
        guard bytes.count == Self.length else {
            throw CountLogError(.malformedEntry, reason: "a receipt commitment has 32 bytes, not \(bytes.count)")
        }
        self.bytes = bytes
    }

    /// The commitment to `secret` (the receipt's `r`, 32 bytes) for the petition `slug`.
    public init(slug: String, secret: [UInt8]) throws(CountLogError) {
        guard secret.count == Self.length else {
            throw CountLogError(.malformedReceipt, reason: "a receipt's r has 32 bytes, not \(secret.count)")
        }
        do {
            bytes = try SHA256.hash(Array(Self.label.utf8), [0x00], Array(slug.utf8), secret)
        } catch {
            throw .crypto(error)
        }
    }

    /// A fresh `r` (32 bytes from `RAND_bytes`), to commit to with ``init(slug:secret:)`` and hand to the signer.
    public static func randomSecret() throws(CountLogError) -> [UInt8] {
        do {
            return try SecureRandom.bytes(count: length)
        } catch {
            throw .crypto(error)
        }
    }

    /// Whether this commitment is the one `secret` makes for `slug`, compared in constant time (the commitment of a
    /// receipt under check is not public until its epoch is logged).
    public func matches(slug: String, secret: [UInt8]) -> Bool {
        guard let other = try? ReceiptCommitment(slug: slug, secret: secret) else { return false }
        return ConstantTime.equals(bytes, other.bytes)
    }

    /// The order within an epoch: the bytes, compared as unsigned big-endian numbers.
    public static func < (lhs: ReceiptCommitment, rhs: ReceiptCommitment) -> Bool {
        lhs.bytes.lexicographicallyPrecedes(rhs.bytes)
    }

    /// Standard base64 (RFC 4648 §4, with padding), as the leaf carries it.
    public var base64: String { Data(bytes).base64EncodedString() }

    public var description: String { base64 }
}
