import COpenSSL

/// Random bytes from OpenSSL's CSPRNG (`RAND_bytes`).
public enum SecureRandom {
    /// Returns `count` bytes from `RAND_bytes`.
    public static func bytes(count: Int) throws(CryptoError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        guard count > 0 else { return bytes }
        guard RAND_bytes(&bytes, Int32(count)) == 1 else { throw .openSSL("RAND_bytes") }
        return bytes
    }

    /// A uniformly random 32-bit integer.
    public static func uint32() throws(CryptoError) -> UInt32 {
        try bytes(count: 4).reduce(0) { $0 << 8 | UInt32($1) }
    }
}
