import COpenSSL

/// An HMAC-SHA256 key, ready to authenticate messages through OpenSSL's `EVP_MAC`.
///
/// The key is set once on a template `EVP_MAC_CTX`; each message duplicates that keyed context, so the hot
/// path neither re-fetches the algorithm nor re-runs the key schedule.
///
/// This is a final class around an OpenSSL pointer, hence `@unchecked Sendable`: after `init` the template
/// context is only ever passed to `EVP_MAC_CTX_dup`, which takes it as `const`, so sharing it between
/// threads is safe.
public final class HMACSHA256: @unchecked Sendable {
    /// The length of an HMAC-SHA256 output, in bytes.
    public static let outputLength = 32

    private let template: OpaquePointer

    /// Keys a new HMAC-SHA256 context. The key must not be empty.
    public init(key: [UInt8]) throws(CryptoError) {
        guard !key.isEmpty else { throw CryptoError(.invalidKeyLength, reason: "an HMAC key must not be empty") }
        guard let context = EVP_MAC_CTX_new(try FetchedMAC.hmac.handle()) else { throw .openSSL("EVP_MAC_CTX_new") }
        guard countersign_hmac_sha256_init(context, key, key.count) == 1 else {
            EVP_MAC_CTX_free(context)
            throw .openSSL("EVP_MAC_init")
        }
        self.template = context
    }

    deinit { EVP_MAC_CTX_free(template) }

    /// HMAC-SHA256 of the concatenation of `parts`, without building the concatenation.
    public func authenticate(_ parts: [UInt8]...) throws(CryptoError) -> [UInt8] {
        try authenticate(parts: parts)
    }

    /// HMAC-SHA256 of the concatenation of `parts`, without building the concatenation.
    public func authenticate(parts: [[UInt8]]) throws(CryptoError) -> [UInt8] {
        guard let context = EVP_MAC_CTX_dup(template) else { throw .openSSL("EVP_MAC_CTX_dup") }
        defer { EVP_MAC_CTX_free(context) }
        for part in parts where !part.isEmpty {
            guard EVP_MAC_update(context, part, part.count) == 1 else { throw .openSSL("EVP_MAC_update") }
        }
        var output = [UInt8](repeating: 0, count: Self.outputLength)
        var written = 0
        guard EVP_MAC_final(context, &output, &written, output.count) == 1, written == Self.outputLength else {
            throw .openSSL("EVP_MAC_final")
        }
        return output
    }
}
