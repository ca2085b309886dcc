import ArgumentParser
import CountersignCore
import Foundation

/// `--public-url`, which names the audit log (`HOST/audit`) as `serve` does; `COUNTERSIGN_PUBLIC_URL` as for `serve`.
struct AuditOriginOption: ParsableArguments {
    @Option(help: "The service's public URL, which names the audit log (default http://127.0.0.1:8080, as serve).")
    var publicURL = ProcessInfo.processInfo.environment["COUNTERSIGN_PUBLIC_URL"] ?? "http://127.0.0.1:8080"

    var origin: String { AuditLog.origin(publicURL: publicURL) }
}
