import COpenSSL

/// Constant-time comparison of secrets, through `CRYPTO_memcmp`.
public enum ConstantTime {
    /// Whether `lhs` and `rhs` hold the same bytes, taking time that depends on their length only.
    ///
    /// Lengths are public (a tag or key has a fixed size), so a length mismatch returns early.
    public static func equals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        lhs.withUnsafeBytes { l in rhs.withUnsafeBytes { r in equals(l, r) } }
    }

    /// The same comparison over borrowed bytes (``SecretBytes`` lends its bytes this way).
    public static func equals(_ lhs: UnsafeRawBufferPointer, _ rhs: UnsafeRawBufferPointer) -> Bool {
        guard lhs.count == rhs.count else { return false }
        guard lhs.count > 0 else { return true }
        return CRYPTO_memcmp(lhs.baseAddress, rhs.baseAddress, lhs.count) == 0
    }
}
