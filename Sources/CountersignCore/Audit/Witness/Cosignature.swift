import Foundation

/// A witness's `cosignature/v1` (https://c2sp.org/tlog-cosignature, Ed25519): a statement that, as of ``timestamp``,
/// the checkpoint it signs is the largest consistent tree head the witness has seen for that log. It is a signed-note
/// signature line on the checkpoint:
///
///     signed message = "cosignature/v1\n" ‖ "time " ‖ DECIMAL(timestamp) ‖ "\n" ‖ the checkpoint's note body
///     line           = "— " NAME " " BASE64(key id(4) ‖ timestamp(8, big-endian) ‖ Ed25519 signature(64))
///     key id         = SHA-256(NAME ‖ 0x0A ‖ 0x04 ‖ public key)[0..<4]        (``WitnessVerifier``)
///
/// The timestamp is POSIX seconds. The note body is the whole checkpoint text with its final newline, extension lines
/// included; the witness vouches for the first three lines only.
public struct Cosignature: Sendable, Equatable {
    public let name: String
    public let keyID: [UInt8]
    /// When the witness signed, in seconds since the Epoch (at most 2^63 − 1).
    public let timestamp: UInt64
    /// The Ed25519 signature of ``message(body:timestamp:)``.
    public let signature: [UInt8]

    public init(name: String, keyID: [UInt8], timestamp: UInt64, signature: [UInt8]) {
        self.name = name
        self.keyID = keyID
        self.timestamp = timestamp
        self.signature = signature
    }

    /// The bytes a witness signs for the checkpoint note body `body` at `timestamp`.
    public static func message(body: String, timestamp: UInt64) -> [UInt8] {
        Array("cosignature/v1\ntime \(timestamp)\n".utf8) + Array(body.utf8)
    }

    /// Reads a note signature line as a cosignature; `nil` unless it holds a timestamp and a 64-byte signature.
    public init?(_ line: SignedNote.Signature) {
        guard line.keyID.count == 4, line.signature.count == 8 + 64 else { return nil }
        let timestamp = line.signature.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard timestamp <= UInt64(Int64.max) else { return nil }
        self.init(name: line.name, keyID: line.keyID, timestamp: timestamp, signature: Array(line.signature.dropFirst(8)))
    }

    /// The signature line, ready to append to the checkpoint.
    public var line: SignedNote.Signature {
        let time = (0..<8).reversed().map { UInt8(truncatingIfNeeded: timestamp >> (8 * UInt64($0))) }
        return SignedNote.Signature(name: name, keyID: keyID, signature: time + signature)
    }

    /// ``timestamp`` as a date.
    public var date: Date { Date(timeIntervalSince1970: TimeInterval(timestamp)) }
}
