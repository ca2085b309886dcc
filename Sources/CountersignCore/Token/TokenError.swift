import CountersignCrypto

/// Why a token was refused, checked in this order. The HTTP layer answers all but ``Code/expired`` alike, so that a
/// client learns nothing about keys or tags. Equality compares the ``code`` only.
public struct TokenError: CodedError {
    /// The kind of refusal.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Internal: String {
            case malformed
            case unsupportedVersion = "unsupported-version"
            case unknownKey = "unknown-key"
            case keyNotUsable = "key-not-usable"
            case badTag = "bad-tag"
            case wrongPurpose = "wrong-purpose"
            case expired
        }

        private let value: Internal

        /// Not 83 base64url characters decoding to 62 bytes.
        public static var malformed: Self { .init(value: .malformed) }
        /// The first byte is not a known token version.
        public static var unsupportedVersion: Self { .init(value: .unsupportedVersion) }
        /// No token key has this id.
        public static var unknownKey: Self { .init(value: .unknownKey) }
        /// The token key is disabled or destroyed.
        public static var keyNotUsable: Self { .init(value: .keyNotUsable) }
        /// The HMAC tag does not match: the token was altered or forged.
        public static var badTag: Self { .init(value: .badTag) }
        /// A token for one purpose was presented for another, or the purpose byte is unknown.
        public static var wrongPurpose: Self { .init(value: .wrongPurpose) }
        /// The token's lifetime is over; the signer should ask for a new link.
        public static var expired: Self { .init(value: .expired) }

        public var description: String { value.rawValue }
    }

    public let code: Code
    /// What was wrong and what to do about it.
    public let reason: String
    public let fileID: String
    public let line: UInt

    public init(_ code: Code, reason: String, fileID: String = #fileID, line: UInt = #line) {
        self.code = code
        self.reason = reason
        self.fileID = fileID
        self.line = line
    }

    public static func malformed(fileID: String = #fileID, line: UInt = #line) -> Self {
        Self(.malformed, reason: "the token is not a Countersign token; copy the whole link from the mail", fileID: fileID, line: line)
    }

    public static func unsupportedVersion(_ version: UInt8, fileID: String = #fileID, line: UInt = #line) -> Self {
        Self(.unsupportedVersion, reason: "token version \(version) is not supported by this server", fileID: fileID, line: line)
    }

    public static func unknownKey(kid: UInt32, fileID: String = #fileID, line: UInt = #line) -> Self {
        Self(.unknownKey, reason: "token key \(kid) is not in the keyring", fileID: fileID, line: line)
    }

    public static func keyNotUsable(kid: UInt32, fileID: String = #fileID, line: UInt = #line) -> Self {
        Self(.keyNotUsable, reason: "token key \(kid) is disabled or destroyed; ask for a new link", fileID: fileID, line: line)
    }

    public static func badTag(fileID: String = #fileID, line: UInt = #line) -> Self {
        Self(.badTag, reason: "the token's signature does not match; it was altered or forged", fileID: fileID, line: line)
    }

    public static func wrongPurpose(fileID: String = #fileID, line: UInt = #line) -> Self {
        Self(.wrongPurpose, reason: "this token is for another action", fileID: fileID, line: line)
    }

    public static func expired(fileID: String = #fileID, line: UInt = #line) -> Self {
        Self(.expired, reason: "the token has expired; ask for a new link", fileID: fileID, line: line)
    }
}
