import COpenSSL

/// HKDF-SHA256 (RFC 5869) through OpenSSL's `EVP_KDF`.
public enum HKDF {
    /// Derives `length` bytes from input keying material, an optional salt and context info.
    public static func sha256(
        inputKeyMaterial: [UInt8],
        salt: [UInt8] = [],
        info: [UInt8] = [],
        length: Int
    ) throws(CryptoError) -> [UInt8] {
        guard !inputKeyMaterial.isEmpty else {
            throw CryptoError(.invalidKeyLength, reason: "HKDF input keying material must not be empty")
        }
        guard (1...(255 * HMACSHA256.outputLength)).contains(length) else {
            throw CryptoError(.invalidKeyLength, reason: "HKDF-SHA256 output must be 1 to 8160 bytes, not \(length)")
        }
        guard let context = EVP_KDF_CTX_new(try FetchedAlgorithm.hkdf.handle()) else { throw .openSSL("EVP_KDF_CTX_new") }
        defer { EVP_KDF_CTX_free(context) }
        var output = [UInt8](repeating: 0, count: length)
        let status = countersign_hkdf_sha256_derive(
            context, &output, length, inputKeyMaterial, inputKeyMaterial.count, salt, salt.count, info, info.count)
        guard status == 1 else { throw .openSSL("EVP_KDF_derive(HKDF-SHA256)") }
        return output
    }
}
