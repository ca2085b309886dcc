import CountersignCrypto

/// The C2SP signed-note verifier-key format, shared by the log's keys (signature type 0x01, Ed25519) and witnesses'
/// keys (0x04, timestamped Ed25519 cosignatures):
///
///     NAME "+" hex(key id) "+" BASE64(type ‖ public key),   key id = SHA-256(NAME ‖ 0x0A ‖ type ‖ public key)[0..<4]
enum VerifierKeyFormat {
    /// The 4-byte key id of `publicKey` under `name` for signature type `type`.
    static func keyID(name: String, type: UInt8, publicKey: Ed25519PublicKey) throws(CryptoError) -> [UInt8] {
        Array(try SHA256.hash(Array(name.utf8), [0x0A, type], publicKey.rawRepresentation).prefix(4))
    }

    /// `NAME+HEXID+BASE64(type ‖ key)`.
    static func encode(name: String, type: UInt8, publicKey: Ed25519PublicKey) throws(CryptoError) -> String {
        let id = Hex.encode(try keyID(name: name, type: type, publicKey: publicKey))
        return "\(name)+\(id)+\(Base64.encode([type] + publicKey.rawRepresentation))"
    }

    /// The name and key of an encoded verifier key of signature type `type`, or `nil` if it is malformed or its key id
    /// does not match its name and key. The name holds no "+"; the base64 key may.
    static func decode(_ encoded: String, type: UInt8) -> (name: String, publicKey: Ed25519PublicKey)? {
        let parts = encoded.split(separator: "+", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, let raw = try? Base64.decode(parts[2]), raw.count == 33, raw.first == type,
            let key = try? Ed25519PublicKey(rawRepresentation: Array(raw.dropFirst()))
        else { return nil }
        let name = String(parts[0])
        guard let id = try? keyID(name: name, type: type, publicKey: key), Hex.encode(id) == String(parts[1]) else { return nil }
        return (name, key)
    }
}
