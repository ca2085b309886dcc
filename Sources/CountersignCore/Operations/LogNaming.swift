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
