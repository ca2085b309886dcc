import CountersignCrypto

/// The audit log, its consistency proof or the auditor's stored checkpoint could not be fetched or read; the
/// ``reason`` says from where and what to check.
///
/// Equality compares the ``code`` only; ``fileID`` and ``line`` say where it was thrown.
public struct AuditFetchError: CodedError, Sendable {
    /// The kind of failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Internal: String {
            case notALogFile = "not-a-log-file"
            case unreadableState = "unreadable-state"
            case notHTTPURL = "not-http-url"
            case notOK = "not-ok"
            case malformedProof = "malformed-proof"
        }

        private let value: Internal

        /// A saved log file is not an ``AuditSnapshot``.
        public static var notALogFile: Self { .init(value: .notALogFile) }
        /// The checkpoint stored by the last run (``AuditState``) cannot be read.
        public static var unreadableState: Self { .init(value: .unreadableState) }
        /// The service's address is not an http(s) URL.
        public static var notHTTPURL: Self { .init(value: .notHTTPURL) }
        /// The service answered a request with a status other than 200 OK.
        public static var notOK: Self { .init(value: .notOK) }
        /// The served consistency proof is not a list of base64 hashes.
        public static var malformedProof: Self { .init(value: .malformedProof) }

        public var description: String { value.rawValue }
    }

    public let code: Code
    /// What could not be read, and what to check.
    public let reason: String
    public let fileID: String
    public let line: UInt

    public init(_ code: Code, reason: String, fileID: String = #fileID, line: UInt = #line) {
        self.code = code
        self.reason = reason
        self.fileID = fileID
        self.line = line
    }
}
