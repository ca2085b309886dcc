import CountersignCrypto
import Foundation

/// How a command or a server names the audit log it opens: the one place that says a log keeps the name it was
/// given first, so that it never changes its name under its auditors.
public enum LogNaming: Sendable {
    /// A command (`keys`, `petition shred`, …): the name the log already carries; a different explicit `publicURL` is
    /// refused (``LogNamingError/mismatch``), and a log with no name yet needs one (``LogNamingError/unnamed``).
    case command(publicURL: String?)
    /// `serve`: the name the log already carries, whatever `publicURL` says (the server warns when they differ), or the
    /// one `publicURL` gives a log with no name yet.
    case serve(publicURL: String)

    /// The audit log over `store`, named by this policy.
    public func log(over store: any SignatureStore) async throws -> AuditLog {
        let recorded = try await AuditLog.recordedOrigin(in: store)
        switch self {
        case .serve(let publicURL):
            return AuditLog(store: store, origin: recorded ?? AuditLog.origin(publicURL: publicURL))
        case .command(let publicURL?):
            let derived = AuditLog.origin(publicURL: publicURL)
            guard let recorded else { return AuditLog(store: store, origin: derived) }
            guard recorded == derived else { throw LogNamingError.mismatch(recorded: recorded, derived: derived) }
            return AuditLog(store: store, origin: recorded)
        case .command(nil):
            guard let recorded else { throw LogNamingError.unnamed() }
            return AuditLog(store: store, origin: recorded)
        }
    }
}

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
