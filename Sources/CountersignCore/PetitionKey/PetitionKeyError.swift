import CountersignCrypto

/// Why a wrapped petition key could not be used. Equality compares the ``code`` only.
public struct PetitionKeyError: CodedError {
    /// The kind of failure.
    public struct Code: Hashable, Sendable {
        private enum Internal { case malformed, unknownMasterKey, masterKeyNotUsable, authenticationFailed, crypto }
        private let value: Internal

        /// The stored bytes are not a wrapped key.
        public static var malformed: Self { .init(value: .malformed) }
        /// The master key that wrapped it is not in the keyring.
        public static var unknownMasterKey: Self { .init(value: .unknownMasterKey) }
        /// The master key that wrapped it is disabled or destroyed.
        public static var masterKeyNotUsable: Self { .init(value: .masterKeyNotUsable) }
        /// The wrapping does not open: altered, or another petition's.
        public static var authenticationFailed: Self { .init(value: .authenticationFailed) }
        /// OpenSSL failed.
        public static var crypto: Self { .init(value: .crypto) }
    }

    public let code: Code
    /// What went wrong and what to do about it.
    public let reason: String
    public let fileID: String
    public let line: UInt

    public init(_ code: Code, reason: String, fileID: String = #fileID, line: UInt = #line) {
        self.code = code
        self.reason = reason
        self.fileID = fileID
        self.line = line
    }

    public static func malformed(byteCount: Int, fileID: String = #fileID, line: UInt = #line) -> Self {
        Self(
            .malformed, reason: "a wrapped petition key has \(WrappedPetitionKey.length) bytes, not \(byteCount); the database row is damaged",
            fileID: fileID, line: line)
    }

    public static func unknownMasterKey(kid: UInt32, fileID: String = #fileID, line: UInt = #line) -> Self {
        Self(
            .unknownMasterKey, reason: "master key \(kid) that wrapped this petition key is not in the keyring; restore the keyring from backup",
            fileID: fileID, line: line)
    }

    public static func masterKeyNotUsable(kid: UInt32, fileID: String = #fileID, line: UInt = #line) -> Self {
        Self(
            .masterKeyNotUsable, reason: "master key \(kid) is disabled or destroyed; re-enable it, or the petition key is lost",
            fileID: fileID, line: line)
    }

    public static func authenticationFailed(kid: UInt32, fileID: String = #fileID, line: UInt = #line) -> Self {
        Self(
            .authenticationFailed,
            reason: "the petition key does not open under master key \(kid): the row was altered or belongs to another petition",
            fileID: fileID, line: line)
    }

    public static func crypto(_ reason: String, fileID: String = #fileID, line: UInt = #line) -> Self {
        Self(.crypto, reason: "petition key wrapping failed: \(reason)", fileID: fileID, line: line)
    }
}
