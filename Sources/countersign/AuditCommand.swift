import ArgumentParser
import CountersignCore
import CountersignServer
import Foundation

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Check the public audit log with public data only.",
        subcommands: [Verify.self]
    )

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Verify the log's checkpoint, entries, history and key life cycles; print PASS/FAIL lines; exit 1 on any FAIL.",
            discussion: """
                The checkpoint verified last time is kept in --state, and the next run checks that the log only grew \
                since. Docs/auditing.md says what each check proves.
                """)

        @Option(help: "The service's base URL, such as https://petitions.example.org.")
        var url: String?

        @Option(help: "A saved log file ({\"checkpoint\": …, \"entries\": […]}) instead of --url.")
        var log: String?

        @Option(help: "The verifier key you trust, NAME+KEYID+BASE64, as `GET /audit/key` or `countersign keys list` prints it.")
        var key: String

        @Option(help: "Where the last verified checkpoint is kept (default ~/.local/state/countersign/audit-ORIGIN.checkpoint).")
        var state: String?

        @Option(help: "Also save what was fetched as a log file for --log.")
        var save: String?

        @Option(help: "Days a shred may take to destroy the master keys that wrapped the petition's key; PENDING until then, FAIL after.")
        var shredDays = AuditPolicy.defaultShredDays

        @Option(help: ArgumentHelp("A witness whose cosignature counts, NAME+KEYID+BASE64 as `countersign witness init` prints it (repeatable).", valueName: "verifier"))
        var witness: [String] = []

        @Option(help: "How many of the --witness keys must have cosigned the checkpoint (default: all of them; 0 without --witness).")
        var witnessesRequired: Int?

        @Option(help: "How old the newest cosignature, the checkpoint's time, may be: 1d (default), 12h, 30m, 90s.")
        var maxAge = "1d"

        func validate() throws {
            guard (url == nil) != (log == nil) else { throw ValidationError("give exactly one of --url and --log") }
            guard shredDays >= 0 else { throw ValidationError("--shred-days cannot be negative") }
            guard AuditPolicy.age(parsing: maxAge) != nil else { throw ValidationError("--max-age takes a number with d, h, m or s, such as 1d or 12h") }
            if let witnessesRequired, !(0...witness.count).contains(witnessesRequired) {
                throw ValidationError("--witnesses-required must lie between 0 and the number of --witness given (\(witness.count))")
            }
        }

        func run() async throws {
            let source: AuditRun.Source = if let url { .url(url) } else { .file(log ?? "") }
            let policy = AuditPolicy(
                today: Date(), shredDays: shredDays, witnesses: try witness.map { try WitnessVerifier(encoded: $0.trimmingCharacters(in: .whitespacesAndNewlines)) },
                witnessesRequired: witnessesRequired, maxAge: AuditPolicy.age(parsing: maxAge) ?? AuditPolicy.defaultMaxAge)
            let report = try await AuditRun.fetchAndVerify(source, key: key, statePath: state, saveTo: save, policy: policy)
            print(report.text)
            if !report.passed { throw ExitCode(1) }
        }
    }
}
