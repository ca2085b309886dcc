import CountersignCrypto

/// Why ``LogNaming`` refused to open the audit log. Equality compares the ``code`` only.
public struct LogNamingError: CodedError {
    public struct Code: Hashable, Sendable {
        private enum Internal { case unnamed, mismatch }
        private let value: Internal

        /// The log has no name yet and none was given.
        public static var unnamed: Self { .init(value: .unnamed) }
        /// The given URL names the log differently from the name its entries carry.
        public static var mismatch: Self { .init(value: .mismatch) }
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

    static func unnamed(fileID: String = #fileID, line: UInt = #line) -> Self {
        Self(.unnamed, reason: "the audit log has no name yet; pass --public-url with the service's public URL (or run serve first)", fileID: fileID, line: line)
    }

    static func mismatch(recorded: String, derived: String, fileID: String = #fileID, line: UInt = #line) -> Self {
        Self(
            .mismatch,
            reason: "the audit log is named \(recorded) (in its log-key entries), but this public URL names it \(derived); pass the service's public URL, or leave --public-url out to use the recorded name",
            fileID: fileID, line: line)
    }
}
