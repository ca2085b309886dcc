import ArgumentParser
import CountersignCore
import Foundation

/// `--public-url`, which names the audit log (`HOST/audit`) as `serve` does; `COUNTERSIGN_PUBLIC_URL` as for `serve`.
/// A log keeps the name its entries already carry; a different explicit URL is refused.
struct AuditOriginOption: ParsableArguments {
    @Option(help: "The service's public URL, which names the audit log (default: the name the log already carries, else http://127.0.0.1:8080).")
    var publicURL: String?

    private var given: String? { publicURL ?? ProcessInfo.processInfo.environment["COUNTERSIGN_PUBLIC_URL"] }

    /// The name for a log with no entries yet, or for printing without a database.
    var origin: String { AuditLog.origin(publicURL: given ?? "http://127.0.0.1:8080") }

    /// The audit log over `store`, under the name it already carries.
    func log(_ store: any SignatureStore) async throws -> AuditLog {
        try await AuditLog.named(for: store, publicURL: given ?? "http://127.0.0.1:8080", strict: given != nil)
    }
}
