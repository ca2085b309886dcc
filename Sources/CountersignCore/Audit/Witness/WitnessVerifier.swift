import CountersignCrypto
import Foundation

/// A witness's public key, as an auditor or a log configures it: a name and an Ed25519 key, published as a signed-note
/// verifier key of signature type 0x04 (c2sp.org/tlog-cosignature):
///
///     NAME "+" hex(key id) "+" BASE64(0x04 ‖ public key),   key id = SHA-256(NAME ‖ 0x0A ‖ 0x04 ‖ public key)[0..<4]
public struct WitnessVerifier: Sendable, Equatable {
    /// The signed-note signature type of timestamped Ed25519 cosignatures.
    public static let signatureType: UInt8 = 0x04

    public let name: String
    public let publicKey: Ed25519PublicKey

    public init(name: String, publicKey: Ed25519PublicKey) {
        self.name = name
        self.publicKey = publicKey
    }

    /// Parses `NAME+HEXID+BASE64(0x04 ‖ key)`; the id must match the name and key.
    public init(encoded: String) throws(AuditError) {
        guard let (name, key) = VerifierKeyFormat.decode(encoded, type: Self.signatureType), SignedNote.isValidKeyName(name) else {
            throw AuditError(.malformedWitnessKey)
        }
        self.init(name: name, publicKey: key)
    }

    /// The 4-byte key id: the first bytes of SHA-256(name ‖ "\n" ‖ 0x04 ‖ public key).
    public var keyID: [UInt8] {
        get throws(CryptoError) { try VerifierKeyFormat.keyID(name: name, type: Self.signatureType, publicKey: publicKey) }
    }

    /// `NAME+HEXID+BASE64(0x04 ‖ key)`.
    public var encoded: String {
        get throws(CryptoError) { try VerifierKeyFormat.encode(name: name, type: Self.signatureType, publicKey: publicKey) }
    }

    /// What this witness's lines on a note amount to.
    public enum Finding: Sendable, Equatable {
        /// No line carries this witness's name and key id.
        case absent
        /// Every line by this witness verifies; the newest was made at `timestamp`.
        case valid(timestamp: UInt64)
        /// A line by this witness does not verify: the note must not be trusted (signed-note: a client SHOULD reject it).
        case invalid
    }

    /// Checks this witness's cosignature lines on `note` (lines by other keys are ignored, as signed-note requires).
    public func cosignatures(on note: SignedNote) -> Finding {
        guard let keyID = try? keyID else { return .invalid }
        var newest: UInt64?
        for line in note.signatures where line.name == name && line.keyID == keyID {
            guard let cosignature = Cosignature(line),
                publicKey.isValidSignature(cosignature.signature, for: Cosignature.message(body: note.text, timestamp: cosignature.timestamp))
            else { return .invalid }
            newest = max(newest ?? 0, cosignature.timestamp)
        }
        return newest.map { .valid(timestamp: $0) } ?? .absent
    }
}
