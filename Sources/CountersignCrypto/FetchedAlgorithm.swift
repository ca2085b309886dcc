import COpenSSL

/// An OpenSSL 3 algorithm (`EVP_MAC`, `EVP_KDF`, `EVP_CIPHER`, `EVP_MD`) fetched once per process and shared.
///
/// A fetch is a locked provider lookup, so each algorithm used here is fetched once; the handles are
/// reference-counted, immutable and documented as safe to use from several threads. Swift 6 will not accept a
/// global holding a raw pointer, so each handle lives in this final class, which frees it.
final class FetchedAlgorithm: @unchecked Sendable {
    static let hmac = FetchedAlgorithm("EVP_MAC_fetch", "HMAC", fetch: { EVP_MAC_fetch(nil, $0, nil) }, free: { EVP_MAC_free($0) })
    static let hkdf = FetchedAlgorithm("EVP_KDF_fetch", "HKDF", fetch: { EVP_KDF_fetch(nil, $0, nil) }, free: { EVP_KDF_free($0) })
    static let aes256GCM = FetchedAlgorithm(
        "EVP_CIPHER_fetch", "AES-256-GCM", fetch: { EVP_CIPHER_fetch(nil, $0, nil) }, free: { EVP_CIPHER_free($0) })
    static let sha256 = FetchedAlgorithm("EVP_MD_fetch", "SHA256", fetch: { EVP_MD_fetch(nil, $0, nil) }, free: { EVP_MD_free($0) })

    private let call: String
    private let pointer: OpaquePointer?
    private let free: (OpaquePointer?) -> Void

    private init(_ call: String, _ name: String, fetch: (String) -> OpaquePointer?, free: @escaping (OpaquePointer?) -> Void) {
        self.call = "\(call)(\(name))"
        self.pointer = fetch(name)
        self.free = free
    }

    deinit { free(pointer) }

    /// The handle, or an error naming the algorithm the provider could not supply.
    func handle() throws(CryptoError) -> OpaquePointer {
        guard let pointer else { throw .openSSL(call) }
        return pointer
    }
}
