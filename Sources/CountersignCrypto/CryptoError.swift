import COpenSSL

/// An error from a cryptographic operation, carrying OpenSSL's own error string where OpenSSL failed.
///
/// Equality compares the ``code`` only, so callers can match on the kind of failure while the
/// ``reason`` keeps the detail for logs and operators.
public struct CryptoError: Error, Hashable, CustomStringConvertible {
    /// The kind of failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Internal: String {
            case openSSL = "openssl"
            case invalidKeyLength = "invalid-key-length"
            case invalidNonceLength = "invalid-nonce-length"
            case invalidTagLength = "invalid-tag-length"
            case authenticationFailed = "authentication-failed"
            case invalidEncoding = "invalid-encoding"
            case keyShredded = "key-shredded"
        }

        private let value: Internal

        /// An OpenSSL call failed; the reason holds OpenSSL's error queue.
        public static var openSSL: Self { .init(value: .openSSL) }
        /// A key had the wrong number of bytes.
        public static var invalidKeyLength: Self { .init(value: .invalidKeyLength) }
        /// A nonce had the wrong number of bytes.
        public static var invalidNonceLength: Self { .init(value: .invalidNonceLength) }
        /// An authentication tag had the wrong number of bytes.
        public static var invalidTagLength: Self { .init(value: .invalidTagLength) }
        /// An AEAD tag did not verify: the ciphertext, nonce, key or associated data is wrong.
        public static var authenticationFailed: Self { .init(value: .authenticationFailed) }
        /// Text that should hold hex or base64 did not.
        public static var invalidEncoding: Self { .init(value: .invalidEncoding) }
        /// The key was destroyed on purpose (crypto-shredding); nothing it protected can be opened again.
        public static var keyShredded: Self { .init(value: .keyShredded) }

        public var description: String { value.rawValue }
    }

    public let code: Code
    /// What failed and what to do about it.
    public let reason: String
    public let fileID: String
    public let line: UInt

    public init(_ code: Code, reason: String, fileID: String = #fileID, line: UInt = #line) {
        self.code = code
        self.reason = reason
        self.fileID = fileID
        self.line = line
    }

    /// An error for a failed OpenSSL call, draining OpenSSL's thread-local error queue into the reason.
    static func openSSL(_ call: String, fileID: String = #fileID, line: UInt = #line) -> CryptoError {
        var messages: [String] = []
        while case let code = ERR_get_error(), code != 0 {
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            messages.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        let detail = messages.isEmpty ? "no OpenSSL error queued" : messages.joined(separator: "; ")
        return CryptoError(.openSSL, reason: "\(call) failed: \(detail)", fileID: fileID, line: line)
    }

    public static func == (lhs: CryptoError, rhs: CryptoError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    public var description: String { "CryptoError.\(code): \(reason)" }
}
