import COpenSSL

/// SHA-256 through OpenSSL's `EVP_Digest*`, for the audit log's Merkle tree and signed-note key ids.
public enum SHA256 {
    public static let outputLength = 32

    /// SHA-256 of the concatenation of `parts`.
    public static func hash(_ parts: [UInt8]...) throws(CryptoError) -> [UInt8] {
        guard let context = EVP_MD_CTX_new() else { throw .openSSL("EVP_MD_CTX_new") }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestInit_ex2(context, try FetchedAlgorithm.sha256.handle(), nil) == 1 else { throw .openSSL("EVP_DigestInit_ex2") }
        for part in parts where !part.isEmpty {
            guard EVP_DigestUpdate(context, part, part.count) == 1 else { throw .openSSL("EVP_DigestUpdate") }
        }
        var output = [UInt8](repeating: 0, count: outputLength)
        var length: UInt32 = 0
        guard EVP_DigestFinal_ex(context, &output, &length) == 1, length == outputLength else { throw .openSSL("EVP_DigestFinal_ex") }
        return output
    }
}
