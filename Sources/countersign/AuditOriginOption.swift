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

    /// How a command names the audit log it opens.
    var naming: LogNaming { .command(publicURL: given) }
}
