import COpenSSL

/// Constant-time comparison of secrets, through `CRYPTO_memcmp`.
public enum ConstantTime {
    /// Whether `lhs` and `rhs` hold the same bytes, taking time that depends on their length only.
    ///
    /// Lengths are public (a tag or key has a fixed size), so a length mismatch returns early.
    public static func equals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        guard !lhs.isEmpty else { return true }
        return lhs.withUnsafeBytes { l in
            rhs.withUnsafeBytes { r in
                CRYPTO_memcmp(l.baseAddress, r.baseAddress, l.count) == 0
            }
        }
    }
}
