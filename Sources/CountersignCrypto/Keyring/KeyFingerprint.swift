/// The public fingerprint of a key: the first 8 bytes, in lowercase hex, of
/// `HMAC-SHA256(key, "countersign/fingerprint/v1")`.
///
/// An auditor can match a fingerprint to a key they hold; nobody can recover the key from it.
public enum KeyFingerprint {
    static let label = Array("countersign/fingerprint/v1".utf8)

    /// The fingerprint of `material`.
    public static func of(_ material: SecretBytes) throws(CryptoError) -> String {
        Hex.encode(try HMACSHA256(key: material).authenticate(label).prefix(8))
    }
}
