import CountersignCrypto
import Foundation

/// A C2SP transparency-log proof (`c2sp.org/tlog-proof@v1`, https://c2sp.org/tlog-proof): an offline proof that an
/// entry is in a log, as a text file (`.tlog-proof`):
///
///     c2sp.org/tlog-proof@v1\n
///     extra BASE64(EXTRA)\n                (optional)
///     index INDEX\n
///     BASE64(HASH)\n …                     the RFC 6962 audit path, from the leaf's sibling up
///     \n
///     THE SIGNED CHECKPOINT, verbatim, with its signatures and witnesses' cosignatures
///
/// A count-log receipt proof carries `extra = r ‖ EPOCH` (32 bytes, then the epoch as 8 bytes big-endian): with
/// the slug from the checkpoint's origin they rebuild the leaf `confirm EPOCH BASE64(c)` whose inclusion the path
/// proves (``ReceiptProofVerifier``). The extra data is not authenticated by the proof itself; it is trusted only
/// because the leaf it rebuilds is in the signed tree.
public struct TlogProof: Sendable, Equatable {
    /// The first line.
    public static let header = "c2sp.org/tlog-proof@v1"

    /// The opaque extra data, if any.
    public let extra: [UInt8]?
    /// The entry's index in the log.
    public let index: Int
    /// The inclusion proof, from the leaf's sibling up to the root's child.
    public let proof: [[UInt8]]
    /// The signed checkpoint, as the log (and its witnesses) signed it.
    public let checkpoint: SignedNote

    public init(extra: [UInt8]?, index: Int, proof: [[UInt8]], checkpoint: SignedNote) {
        self.extra = extra
        self.index = index
        self.proof = proof
        self.checkpoint = checkpoint
    }

    /// The proof's text.
    public var text: String {
        var lines = [Self.header]
        if let extra { lines.append("extra \(Base64.encode(extra))") }
        lines.append("index \(index)")
        lines += proof.map(Base64.encode)
        return lines.map { $0 + "\n" }.joined() + "\n" + checkpoint.encoded
    }

    /// Parses a proof's text; the checkpoint's signatures are not checked here.
    public init(text: String) throws(CountLogError) {
        func refused(_ what: String) -> CountLogError {
            CountLogError(
                .malformedProof,
                reason: "not a c2sp.org/tlog-proof@v1 proof (\(what)): the header line, an optional `extra BASE64` line, `index N`, "
                    + "base64 hashes one per line, an empty line, then the signed checkpoint; use the file `receipt verify --save` wrote, unchanged")
        }
        guard let blank = text.range(of: "\n\n") else { throw refused("no empty line before the checkpoint") }
        var lines = text[..<blank.lowerBound].split(separator: "\n", omittingEmptySubsequences: false)[...]
        guard lines.popFirst() == Substring(Self.header) else { throw refused("the first line is not \(Self.header)") }
        var extra: [UInt8]?
        if let line = lines.first, line.hasPrefix("extra ") {
            guard let raw = try? Base64.decode(line.dropFirst(6)) else { throw refused("the extra line is not base64") }
            extra = raw
            lines.removeFirst()
        }
        guard let line = lines.popFirst(), line.hasPrefix("index "), let index = Int(line.dropFirst(6)), index >= 0,
            String(index) == line.dropFirst(6)
        else { throw refused("no `index N` line") }
        var proof: [[UInt8]] = []
        for line in lines {
            guard let hash = try? Base64.decode(line), hash.count == 32 else { throw refused("a proof line is not a base64 SHA-256 hash") }
            proof.append(hash)
        }
        guard proof.count <= 63 else { throw refused("more than 63 proof hashes") }
        let note: SignedNote
        do {
            note = try SignedNote(encoded: String(text[blank.upperBound...]))
        } catch {
            throw refused("the checkpoint is not a signed note: \(error.reason)")
        }
        self.init(extra: extra, index: index, proof: proof, checkpoint: note)
    }
}

extension TlogProof {
    /// The extra data of a count-log receipt proof: `r` (32 bytes), then the epoch of the logged leaf (8 bytes,
    /// big-endian).
    public static func receiptExtra(secret: [UInt8], epoch: Int) -> [UInt8] {
        secret + (0..<8).reversed().map { UInt8(truncatingIfNeeded: UInt64(epoch) >> (8 * UInt64($0))) }
    }

    /// `r` and the epoch of a receipt proof's extra data, or `nil` if it is not 40 bytes.
    public var receiptExtra: (secret: [UInt8], epoch: Int)? {
        guard let extra, extra.count == ReceiptCommitment.length + 8 else { return nil }
        let epoch = extra.suffix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard epoch <= UInt64(Int.max) else { return nil }
        return (Array(extra.prefix(ReceiptCommitment.length)), Int(epoch))
    }
}
