import CountersignCrypto

/// A token that cannot be made as asked. Equality compares the ``code`` only.
public struct AccessTokenError: CodedError {
    /// The kind of refusal.
    public struct Code: Hashable, Sendable {
        private enum Internal { case petitionForAuditor }
        private let value: Internal

        /// An auditor token was asked for one petition.
        public static var petitionForAuditor: Self { .init(value: .petitionForAuditor) }
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

    public static func petitionForAuditor(fileID: String = #fileID, line: UInt = #line) -> Self {
        Self(
            .petitionForAuditor, reason: "--petition applies to organizer tokens; an auditor token is for /metrics, which no petition owns",
            fileID: fileID, line: line)
    }
}
