import COpenSSL

/// AES-256-GCM authenticated encryption through OpenSSL's `EVP_CIPHER`.
public enum AES256GCM {
    public static let keyLength = 32
    public static let nonceLength = 12
    public static let tagLength = 16

    /// The output of ``AES256GCM/seal(_:key:nonce:associatedData:)``.
    public struct SealedBox: Sendable, Equatable {
        public var ciphertext: [UInt8]
        public var tag: [UInt8]

        public init(ciphertext: [UInt8], tag: [UInt8]) {
            self.ciphertext = ciphertext
            self.tag = tag
        }
    }

    /// Encrypts `plaintext` and authenticates it together with `associatedData`.
    ///
    /// The caller owns nonce uniqueness: a nonce must never repeat under one key. Callers here use
    /// ``SecureRandom`` nonces, safe for far more than the 2^32 messages a key ever protects. The plaintext and
    /// the key are both secrets here: a petition key wrapped under a master key.
    public static func seal(
        _ plaintext: SecretBytes, key: SecretBytes, nonce: [UInt8], associatedData: [UInt8] = []
    ) throws(CryptoError) -> SealedBox {
        try checkLengths(key: key, nonce: nonce)
        let context = try Context()
        let algorithm = try FetchedAlgorithm.aes256GCM.handle()
        let initialized = key.withUnsafeBytes { key in
            EVP_EncryptInit_ex2(context.pointer, algorithm, key.baseAddress?.assumingMemoryBound(to: UInt8.self), nonce, nil)
        }
        guard initialized == 1 else {
            throw .openSSL("EVP_EncryptInit_ex2(AES-256-GCM)")
        }
        var length: Int32 = 0
        if !associatedData.isEmpty {
            guard EVP_EncryptUpdate(context.pointer, nil, &length, associatedData, Int32(associatedData.count)) == 1 else {
                throw .openSSL("EVP_EncryptUpdate(aad)")
            }
        }
        var ciphertext = [UInt8](repeating: 0, count: plaintext.count + 16)
        var written: Int32 = 0
        if plaintext.count > 0 {
            let updated = plaintext.withUnsafeBytes { plaintext in
                EVP_EncryptUpdate(
                    context.pointer, &ciphertext, &written, plaintext.baseAddress?.assumingMemoryBound(to: UInt8.self), Int32(plaintext.count))
            }
            guard updated == 1 else { throw .openSSL("EVP_EncryptUpdate") }
        }
        var finalLength: Int32 = 0
        let finalStatus = ciphertext.withUnsafeMutableBufferPointer { buffer in
            EVP_EncryptFinal_ex(context.pointer, buffer.baseAddress.map { $0 + Int(written) }, &finalLength)
        }
        guard finalStatus == 1 else { throw .openSSL("EVP_EncryptFinal_ex") }
        ciphertext.removeLast(ciphertext.count - Int(written + finalLength))
        var tag = [UInt8](repeating: 0, count: tagLength)
        guard EVP_CIPHER_CTX_ctrl(context.pointer, EVP_CTRL_AEAD_GET_TAG, Int32(tagLength), &tag) == 1 else {
            throw .openSSL("EVP_CIPHER_CTX_ctrl(GET_TAG)")
        }
        return SealedBox(ciphertext: ciphertext, tag: tag)
    }

    /// Verifies and decrypts a sealed box; throws ``CryptoError/Code/authenticationFailed`` when anything
    /// (key, nonce, ciphertext, tag or associated data) differs from what was sealed.
    ///
    /// The plaintext is decrypted straight into a ``SecretBytes``, which is wiped if the tag does not verify.
    public static func open(
        _ box: SealedBox, key: SecretBytes, nonce: [UInt8], associatedData: [UInt8] = []
    ) throws(CryptoError) -> SecretBytes {
        try checkLengths(key: key, nonce: nonce)
        guard box.tag.count == tagLength else {
            throw CryptoError(.invalidTagLength, reason: "an AES-GCM tag has \(tagLength) bytes, not \(box.tag.count)")
        }
        let context = try Context()
        let algorithm = try FetchedAlgorithm.aes256GCM.handle()
        let initialized = key.withUnsafeBytes { key in
            EVP_DecryptInit_ex2(context.pointer, algorithm, key.baseAddress?.assumingMemoryBound(to: UInt8.self), nonce, nil)
        }
        guard initialized == 1 else {
            throw .openSSL("EVP_DecryptInit_ex2(AES-256-GCM)")
        }
        var length: Int32 = 0
        if !associatedData.isEmpty {
            guard EVP_DecryptUpdate(context.pointer, nil, &length, associatedData, Int32(associatedData.count)) == 1 else {
                throw .openSSL("EVP_DecryptUpdate(aad)")
            }
        }
        // GCM is a stream mode: the plaintext is exactly as long as the ciphertext, and the final step writes nothing.
        return try SecretBytes(count: box.ciphertext.count) { (plaintext) throws(CryptoError) in
            let out = plaintext.baseAddress?.assumingMemoryBound(to: UInt8.self)
            var written: Int32 = 0
            if !box.ciphertext.isEmpty {
                guard EVP_DecryptUpdate(context.pointer, out, &written, box.ciphertext, Int32(box.ciphertext.count)) == 1,
                      Int(written) == box.ciphertext.count else {
                    throw .openSSL("EVP_DecryptUpdate")
                }
            }
            var tag = box.tag
            guard EVP_CIPHER_CTX_ctrl(context.pointer, EVP_CTRL_AEAD_SET_TAG, Int32(tagLength), &tag) == 1 else {
                throw .openSSL("EVP_CIPHER_CTX_ctrl(SET_TAG)")
            }
            var finalLength: Int32 = 0
            var scratch = [UInt8](repeating: 0, count: 16)
            guard EVP_DecryptFinal_ex(context.pointer, &scratch, &finalLength) == 1, finalLength == 0 else {
                ERR_clear_error()
                throw CryptoError(.authenticationFailed, reason: "AES-256-GCM tag mismatch: wrong key, nonce, data or associated data")
            }
        }
    }

    private static func checkLengths(key: SecretBytes, nonce: [UInt8]) throws(CryptoError) {
        guard key.count == keyLength else {
            throw CryptoError(.invalidKeyLength, reason: "an AES-256 key has \(keyLength) bytes, not \(key.count)")
        }
        guard nonce.count == nonceLength else {
            throw CryptoError(.invalidNonceLength, reason: "an AES-GCM nonce here has \(nonceLength) bytes, not \(nonce.count)")
        }
    }

    /// Owns one `EVP_CIPHER_CTX` for the length of a seal or open.
    private final class Context {
        let pointer: OpaquePointer

        init() throws(CryptoError) {
            guard let pointer = EVP_CIPHER_CTX_new() else { throw .openSSL("EVP_CIPHER_CTX_new") }
            self.pointer = pointer
        }

        deinit { EVP_CIPHER_CTX_free(pointer) }
    }
}
