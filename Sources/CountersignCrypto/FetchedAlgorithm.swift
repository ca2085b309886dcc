import COpenSSL

// OpenSSL 3 algorithms are fetched from a provider, and a fetch is a locked lookup. Each one used here
// is fetched once per process and shared: the handles are reference-counted, immutable and documented
// as safe to use from several threads. Swift 6 will not accept a global holding a raw pointer, so each
// handle lives in a final class that frees it.

/// An `EVP_MAC` fetched once from the default provider.
final class FetchedMAC: @unchecked Sendable {
    static let hmac = FetchedMAC(name: "HMAC")

    private let name: String
    private let pointer: OpaquePointer?

    private init(name: String) {
        self.name = name
        self.pointer = EVP_MAC_fetch(nil, name, nil)
    }

    deinit { EVP_MAC_free(pointer) }

    /// The handle, or an error naming the algorithm the provider could not supply.
    func handle() throws(CryptoError) -> OpaquePointer {
        guard let pointer else { throw .openSSL("EVP_MAC_fetch(\(name))") }
        return pointer
    }
}

/// An `EVP_KDF` fetched once from the default provider.
final class FetchedKDF: @unchecked Sendable {
    static let hkdf = FetchedKDF(name: "HKDF")

    private let name: String
    private let pointer: OpaquePointer?

    private init(name: String) {
        self.name = name
        self.pointer = EVP_KDF_fetch(nil, name, nil)
    }

    deinit { EVP_KDF_free(pointer) }

    func handle() throws(CryptoError) -> OpaquePointer {
        guard let pointer else { throw .openSSL("EVP_KDF_fetch(\(name))") }
        return pointer
    }
}

/// An `EVP_CIPHER` fetched once from the default provider.
final class FetchedCipher: @unchecked Sendable {
    static let aes256GCM = FetchedCipher(name: "AES-256-GCM")

    private let name: String
    private let pointer: OpaquePointer?

    private init(name: String) {
        self.name = name
        self.pointer = EVP_CIPHER_fetch(nil, name, nil)
    }

    deinit { EVP_CIPHER_free(pointer) }

    func handle() throws(CryptoError) -> OpaquePointer {
        guard let pointer else { throw .openSSL("EVP_CIPHER_fetch(\(name))") }
        return pointer
    }
}

/// An `EVP_MD` fetched once from the default provider.
final class FetchedDigest: @unchecked Sendable {
    static let sha256 = FetchedDigest(name: "SHA256")

    private let name: String
    private let pointer: OpaquePointer?

    private init(name: String) {
        self.name = name
        self.pointer = EVP_MD_fetch(nil, name, nil)
    }

    deinit { EVP_MD_free(pointer) }

    func handle() throws(CryptoError) -> OpaquePointer {
        guard let pointer else { throw .openSSL("EVP_MD_fetch(\(name))") }
        return pointer
    }
}
