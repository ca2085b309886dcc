import CountersignCrypto
import Foundation

/// The body of a C2SP tlog-witness `POST /add-checkpoint` (https://c2sp.org/tlog-witness): the size of the checkpoint
/// the log believes the witness cosigned last, a consistency proof from it, and the new signed checkpoint.
///
///     old SIZE\n                 (decimal, no leading zeroes; 0 if the witness never cosigned this log)
///     BASE64(HASH)\n …           (0 to 63 lines: the RFC 6962 §2.1.2 consistency proof from SIZE; none when SIZE is 0)
///     \n
///     CHECKPOINT                 (a signed note)
public struct AddCheckpointRequest: Sendable, Equatable {
    /// tlog-witness: "The client MUST NOT send more than 63 consistency proof lines."
    public static let maximumProofLines = 63

    public let oldSize: Int
    public let proof: [[UInt8]]
    /// The signed checkpoint, as sent.
    public let checkpoint: SignedNote

    public init(oldSize: Int, proof: [[UInt8]], checkpoint: SignedNote) {
        self.oldSize = oldSize
        self.proof = proof
        self.checkpoint = checkpoint
    }

    /// Parses a request body; the checkpoint's signatures and the proof are checked by ``WitnessState/decide(_:logs:)``.
    public init(body: String) throws(AuditError) {
        guard let header = body.range(of: "\n") else { throw AuditError(.malformedAddCheckpoint) }
        let old = body[..<header.lowerBound]
        guard old.hasPrefix("old "), let size = Int(old.dropFirst(4)), size >= 0, String(size) == old.dropFirst(4) else {
            throw AuditError(.malformedAddCheckpoint, reason: "the first line must be `old SIZE`, SIZE in decimal with no leading zeroes")
        }
        var rest = body[header.upperBound...]
        var proof: [[UInt8]] = []
        while true {
            guard let end = rest.range(of: "\n") else { throw AuditError(.malformedAddCheckpoint) }
            let line = rest[..<end.lowerBound]
            rest = rest[end.upperBound...]
            if line.isEmpty { break }
            guard let hash = try? Base64.decode(line), hash.count == 32 else {
                throw AuditError(.malformedAddCheckpoint, reason: "consistency proof line \(proof.count + 1) is not a base64 SHA-256 hash")
            }
            proof.append(hash)
            guard proof.count <= Self.maximumProofLines else {
                throw AuditError(.malformedAddCheckpoint, reason: "more than \(Self.maximumProofLines) consistency proof lines")
            }
        }
        let note: SignedNote
        do {
            note = try SignedNote(encoded: String(rest))
        } catch {
            throw AuditError(.malformedAddCheckpoint, reason: "after the empty line comes no signed checkpoint: \(error.reason)")
        }
        self.init(oldSize: size, proof: proof, checkpoint: note)
    }

    /// The request body.
    public var body: String {
        "old \(oldSize)\n" + proof.map { Base64.encode($0) + "\n" }.joined() + "\n" + checkpoint.encoded
    }
}
