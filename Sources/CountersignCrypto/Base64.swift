import Foundation

/// Standard base64 with padding (RFC 4648 §4), the form of hashes, keys and signatures in C2SP signed notes,
/// checkpoints, proofs and count-log leaves.
public enum Base64 {
    public static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
    }

    /// Decodes strictly: only the text ``encode(_:)`` gives for some bytes is accepted, so missing padding, line breaks
    /// and non-zero trailing bits (which Foundation's decoder allows: `RtzE…OE=` and `RtzE…O/=` give the same bytes) are
    /// refused, and one byte string has exactly one text form.
    public static func decode(_ text: some StringProtocol) throws(CryptoError) -> [UInt8] {
        guard let data = Data(base64Encoded: String(text)), data.base64EncodedString() == text else {
            throw CryptoError(.invalidEncoding, reason: "not canonical base64 text (RFC 4648 §4, with padding)")
        }
        return Array(data)
    }
}
