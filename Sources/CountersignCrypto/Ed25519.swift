import COpenSSL

/// An Ed25519 signing key (RFC 8032) held in an OpenSSL `EVP_PKEY`.
///
/// A final class around an OpenSSL pointer, hence `@unchecked Sendable`: the key is immutable after `init`
/// and each signature uses its own `EVP_MD_CTX`.
public final class Ed25519PrivateKey: @unchecked Sendable {
    public static let seedLength = 32
    public static let signatureLength = 64

    private let key: OpaquePointer
    /// The 32-byte seed (RFC 8032's private key), as stored in the keyring.
    public let seed: SecretBytes
    /// The matching public key.
    public let publicKey: Ed25519PublicKey

    /// Loads a key from its 32-byte seed.
    public init(seed: SecretBytes) throws(CryptoError) {
        guard seed.count == Self.seedLength else {
            throw CryptoError(.invalidKeyLength, reason: "an Ed25519 seed has 32 bytes, not \(seed.count)")
        }
        let loaded = seed.withUnsafeBytes { bytes in
            EVP_PKEY_new_raw_private_key_ex(nil, "ED25519", nil, bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count)
        }
        guard let key = loaded else {
            throw .openSSL("EVP_PKEY_new_raw_private_key_ex(ED25519)")
        }
        var raw = [UInt8](repeating: 0, count: Ed25519PublicKey.length)
        var length = raw.count
        guard EVP_PKEY_get_raw_public_key(key, &raw, &length) == 1, length == raw.count else {
            EVP_PKEY_free(key)
            throw .openSSL("EVP_PKEY_get_raw_public_key")
        }
        self.key = key
        self.seed = seed
        self.publicKey = try Ed25519PublicKey(rawRepresentation: raw)
    }

    /// Generates a new key from ``SecureRandom``.
    public static func generate() throws(CryptoError) -> Ed25519PrivateKey {
        try Ed25519PrivateKey(seed: SecretBytes.random(count: seedLength))
    }

    deinit { EVP_PKEY_free(key) }

    /// Signs `message` (pure Ed25519: no pre-hash, no context).
    public func signature(for message: [UInt8]) throws(CryptoError) -> [UInt8] {
        guard let context = EVP_MD_CTX_new() else { throw .openSSL("EVP_MD_CTX_new") }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestSignInit_ex(context, nil, nil, nil, nil, key, nil) == 1 else {
            throw .openSSL("EVP_DigestSignInit_ex")
        }
        var signature = [UInt8](repeating: 0, count: Self.signatureLength)
        var length = signature.count
        guard EVP_DigestSign(context, &signature, &length, message, message.count) == 1, length == Self.signatureLength else {
            throw .openSSL("EVP_DigestSign")
        }
        return signature
    }
}

/// An Ed25519 public key, enough to verify signatures with public data only.
///
/// A final class around an OpenSSL pointer, hence `@unchecked Sendable`: the key is immutable after `init`
/// and each verification uses its own `EVP_MD_CTX`.
public final class Ed25519PublicKey: @unchecked Sendable, Equatable {
    public static let length = 32

    private let key: OpaquePointer
    /// The 32-byte encoded public key.
    public let rawRepresentation: [UInt8]

    public init(rawRepresentation: [UInt8]) throws(CryptoError) {
        guard rawRepresentation.count == Self.length else {
            throw CryptoError(.invalidKeyLength, reason: "an Ed25519 public key has 32 bytes, not \(rawRepresentation.count)")
        }
        guard let key = EVP_PKEY_new_raw_public_key_ex(nil, "ED25519", nil, rawRepresentation, rawRepresentation.count) else {
            throw .openSSL("EVP_PKEY_new_raw_public_key_ex(ED25519)")
        }
        self.key = key
        self.rawRepresentation = rawRepresentation
    }

    deinit { EVP_PKEY_free(key) }

    /// Whether `signature` is a valid Ed25519 signature of `message` under this key.
    public func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
        guard signature.count == Ed25519PrivateKey.signatureLength, let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestVerifyInit_ex(context, nil, nil, nil, nil, key, nil) == 1 else {
            ERR_clear_error()
            return false
        }
        let valid = EVP_DigestVerify(context, signature, signature.count, message, message.count) == 1
        ERR_clear_error()
        return valid
    }

    public static func == (lhs: Ed25519PublicKey, rhs: Ed25519PublicKey) -> Bool {
        lhs.rawRepresentation == rhs.rawRepresentation
    }
}
