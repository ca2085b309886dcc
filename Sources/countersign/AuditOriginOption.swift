import ArgumentParser
import CountersignCore
import Foundation

/// `--public-url`, which names the audit log (`HOST/audit`) as `serve` does; `COUNTERSIGN_PUBLIC_URL` as for `serve`.
/// A log keeps the name its entries already carry; a different explicit URL is refused.
struct AuditOriginOption: ParsableArguments {
    @Option(help: "The service's public URL, which names the audit log; needed until the log has a name (serve gives it one).")
    var publicURL: String?

    private var given: String? { publicURL ?? ProcessInfo.processInfo.environment["COUNTERSIGN_PUBLIC_URL"] }

    /// The name this URL (or serve's default, http://127.0.0.1:8080) gives a log, for printing without a database.
    var origin: String { AuditLog.origin(publicURL: given ?? "http://127.0.0.1:8080") }

    /// The audit log over `store`, under the name it already carries; a log with no name yet needs the URL.
    func log(_ store: any SignatureStore) async throws -> AuditLog {
        guard let given else {
            guard let recorded = try await AuditLog.recordedOrigin(in: store) else {
                throw ValidationError("the audit log has no name yet; pass --public-url with the service's public URL (or run serve first)")
            }
            return AuditLog(store: store, origin: recorded)
        }
        return try await AuditLog.named(for: store, publicURL: given, strict: true)
    }
}
