import CountersignCrypto

/// Why a petition definition or name was refused. Equality compares the ``code`` only.
public struct PetitionError: CodedError {
    /// The kind of refusal.
    public struct Code: Hashable, Sendable {
        private enum Internal { case invalidSlug, invalidFile, duplicateSlug, unreadable }
        private let value: Internal

        /// A slug that is not 1 to 64 characters of `a-z`, `0-9` and `-`.
        public static var invalidSlug: Self { .init(value: .invalidSlug) }
        /// A petition file that does not follow the format; the reason names the file, line and rule.
        public static var invalidFile: Self { .init(value: .invalidFile) }
        /// Two petition files share a slug.
        public static var duplicateSlug: Self { .init(value: .duplicateSlug) }
        /// The petitions folder cannot be read.
        public static var unreadable: Self { .init(value: .unreadable) }
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

    public static func invalidSlug(fileID: String = #fileID, line: UInt = #line) -> Self {
        Self(.invalidSlug, reason: "a petition slug is 1 to 64 characters of a-z, 0-9 and -", fileID: fileID, line: line)
    }

    public static func invalidFile(_ message: String, fileID: String = #fileID, line: UInt = #line) -> Self {
        Self(.invalidFile, reason: message, fileID: fileID, line: line)
    }

    public static func duplicateSlug(_ slug: String, fileID: String = #fileID, line: UInt = #line) -> Self {
        Self(.duplicateSlug, reason: "two petition files use the slug \(slug); give each its own Slug: line", fileID: fileID, line: line)
    }

    public static func unreadable(_ message: String, fileID: String = #fileID, line: UInt = #line) -> Self {
        Self(.unreadable, reason: message, fileID: fileID, line: line)
    }
}
