import Foundation

/// Why a keyring could not be loaded, saved or changed; the ``reason`` says what to do.
public struct KeyringError: CodedError {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Internal: String {
            case missing, insecurePermissions = "insecure-permissions", wrongOwner = "wrong-owner"
            case io, malformed, invalid, alreadyExists = "already-exists", unknownKey = "unknown-key"
            case crypto
        }

        private let value: Internal

        /// No keyring file exists at the path.
        public static var missing: Self { .init(value: .missing) }
        /// The keyring file or its folder is open to the group or to others.
        public static var insecurePermissions: Self { .init(value: .insecurePermissions) }
        /// The keyring file is owned by another user.
        public static var wrongOwner: Self { .init(value: .wrongOwner) }
        /// Reading, writing, locking or renaming failed.
        public static var io: Self { .init(value: .io) }
        /// The file is not a keyring document.
        public static var malformed: Self { .init(value: .malformed) }
        /// The document breaks a keyring rule (one primary per purpose, material lengths, unique ids).
        public static var invalid: Self { .init(value: .invalid) }
        /// `keys init` found a keyring already there.
        public static var alreadyExists: Self { .init(value: .alreadyExists) }
        /// No key has the requested id.
        public static var unknownKey: Self { .init(value: .unknownKey) }
        /// Generating key material failed.
        public static var crypto: Self { .init(value: .crypto) }

        public var description: String { value.rawValue }
    }

    public let code: Code
    public let reason: String
    public let fileID: String
    public let line: UInt

    public init(_ code: Code, _ reason: String, fileID: String = #fileID, line: UInt = #line) {
        self.code = code
        self.reason = reason
        self.fileID = fileID
        self.line = line
    }

    /// No key has the id `kid`.
    public static func noKey(_ kid: UInt32, fileID: String = #fileID, line: UInt = #line) -> Self {
        Self(.invalid, "no key has the id \(String(format: "%08x", kid)); see `countersign keys list`", fileID: fileID, line: line)
    }
}
