import CountersignCrypto
import Foundation

/// A C2SP signed note (https://c2sp.org/signed-note) with Ed25519 signatures: a text ending in a newline, a
/// blank line, and one line per signature, `— NAME BASE64(key id(4) ‖ signature)`. The log's own lines carry a
/// 64-byte Ed25519 signature; a witness's ``Cosignature`` line carries a timestamp before it (8 + 64 bytes).
///
///     key id = SHA-256(NAME ‖ 0x0A ‖ 0x01 ‖ public key)[0..<4]
///     verifier key = NAME "+" hex(key id) "+" BASE64(0x01 ‖ public key)
///
/// Anyone holding the verifier key can check a note with any Ed25519 library (`Docs/auditing.md` will show
/// Python's `cryptography`).
public struct SignedNote: Sendable, Equatable {
    /// The signed text, ending with a newline.
    public let text: String
    /// The signature lines' (name, key id, signature).
    public let signatures: [Signature]

    public struct Signature: Sendable, Equatable {
        public let name: String
        public let keyID: [UInt8]
        /// Everything after the key id: the signature as its type defines it.
        public let signature: [UInt8]

        public init(name: String, keyID: [UInt8], signature: [UInt8]) {
            self.name = name
            self.keyID = keyID
            self.signature = signature
        }

        /// The line as the note carries it: `— NAME BASE64(KEYID ‖ SIGNATURE)` and a newline.
        public var line: String {
            "— \(name) \(Base64.encode(keyID + signature))\n"
        }
    }

    /// Whether `text` may be a note's text: ending with a newline, with no ASCII control character (below U+0020) but the
    /// newline (signed-note, "Format"), so that a line break is always a line feed, never a carriage return before one.
    public static func isValidText(_ text: String) -> Bool {
        text.hasSuffix("\n") && !text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }
    }

    /// Whether `name` may name a key: non-empty, with no Unicode space and no `+` (signed-note, "Format").
    public static func isValidKeyName(_ name: String) -> Bool {
        !name.isEmpty && !name.contains("+") && !name.unicodeScalars.contains { $0.properties.isWhitespace || $0.value < 0x20 }
    }

    /// An Ed25519 note verifier: a name and a public key.
    public struct Verifier: Sendable, Equatable {
        public let name: String
        public let publicKey: Ed25519PublicKey

        public init(name: String, publicKey: Ed25519PublicKey) {
            self.name = name
            self.publicKey = publicKey
        }

        /// The signed-note signature type of plain Ed25519 signatures.
        static let signatureType: UInt8 = 0x01

        /// Parses the `NAME+HEXID+BASE64(0x01 ‖ key)` form (``VerifierKeyFormat``); the id must match the name and key.
        public init(encoded: String) throws(AuditError) {
            guard let (name, key) = VerifierKeyFormat.decode(encoded, type: Self.signatureType) else { throw AuditError(.malformedVerifierKey) }
            self.init(name: name, publicKey: key)
        }

        /// The 4-byte key id: the first bytes of SHA-256(name ‖ "\n" ‖ 0x01 ‖ public key).
        public var keyID: [UInt8] {
            get throws(CryptoError) { try VerifierKeyFormat.keyID(name: name, type: Self.signatureType, publicKey: publicKey) }
        }

        /// `NAME+HEXID+BASE64(0x01 ‖ key)`.
        public var encoded: String {
            get throws(CryptoError) { try VerifierKeyFormat.encode(name: name, type: Self.signatureType, publicKey: publicKey) }
        }
    }

    /// Signs `text` (which must end with a newline) as `name` with each key.
    public static func sign(_ text: String, name: String, keys: [Ed25519PrivateKey]) throws(AuditError) -> SignedNote {
        guard isValidText(text), !text.contains("\n\n") else { throw AuditError(.malformedNote) }
        var signatures: [Signature] = []
        for key in keys {
            do {
                let verifier = Verifier(name: name, publicKey: key.publicKey)
                signatures.append(Signature(name: name, keyID: try verifier.keyID, signature: try key.signature(for: Array(text.utf8))))
            } catch {
                throw AuditError(.crypto, reason: error.reason)
            }
        }
        return SignedNote(text: text, signatures: signatures)
    }

    /// The note as text: the body, a blank line, and the signature lines.
    public var encoded: String {
        text + "\n" + signatures.map(\.line).joined()
    }

    /// Parses a note; signatures are not checked here (see ``verified(by:)``).
    ///
    /// Only the form ``encoded`` gives is accepted: one space between the fields of a signature line, canonical base64,
    /// a valid key name and a newline after every line, so that a parsed note encodes back to the same bytes.
    public init(encoded: String) throws(AuditError) {
        guard Self.isValidText(encoded), let split = encoded.range(of: "\n\n", options: .backwards) else { throw AuditError(.malformedNote) }
        let body = String(encoded[..<split.lowerBound]) + "\n"
        var signatures: [Signature] = []
        for line in encoded[split.upperBound...].dropLast().split(separator: "\n", omittingEmptySubsequences: false) {
            let fields = line.split(separator: " ", omittingEmptySubsequences: false)
            guard fields.count == 3, fields[0] == "—", Self.isValidKeyName(String(fields[1])),
                let raw = try? Base64.decode(fields[2]), raw.count > 4
            else { throw AuditError(.malformedNote) }
            signatures.append(Signature(name: String(fields[1]), keyID: Array(raw.prefix(4)), signature: Array(raw.dropFirst(4))))
        }
        // The block after the blank line splits into at least one line, so a parsed note has at least one signature.
        self.init(text: body, signatures: signatures)
    }

    init(text: String, signatures: [Signature]) {
        self.text = text
        self.signatures = signatures
    }

    /// The same note with `more` signature lines after its own (a witness's cosignatures), leaving out lines it holds.
    public func adding(_ more: [Signature]) -> SignedNote {
        var lines = signatures
        for line in more where !lines.contains(line) { lines.append(line) }
        return SignedNote(text: text, signatures: lines)
    }

    /// Whether a signature line by `verifier` (same name and key id) holds a valid signature of the text.
    public func verified(by verifier: Verifier) -> Bool {
        guard let keyID = try? verifier.keyID else { return false }
        return signatures.contains { line in
            line.name == verifier.name && line.keyID == keyID
                && verifier.publicKey.isValidSignature(line.signature, for: Array(text.utf8))
        }
    }
}
