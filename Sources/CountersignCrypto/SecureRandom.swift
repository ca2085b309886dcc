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

    /// A uniformly random integer in `0..<bound`, without modulo bias.
    ///
    /// Draws 64-bit words from `RAND_bytes` and rejects those below `2^64 mod bound`, so that the words kept
    /// cover each residue equally often; fewer than half the draws are rejected for any bound.
    /// - Precondition: `bound > 0`; an empty range is a programming error, as in `UInt64.random(in:)`.
    public static func uniform(below bound: UInt64) throws(CryptoError) -> UInt64 {
        precondition(bound > 0, "SecureRandom.uniform(below:) needs a bound above 0")
        let threshold = (0 &- bound) % bound
        while true {
            var word: UInt64 = 0
            let status = withUnsafeMutableBytes(of: &word) { RAND_bytes($0.baseAddress, 8) }
            guard status == 1 else { throw .openSSL("RAND_bytes") }
            if word >= threshold { return word % bound }
        }
    }
}
