import ArgumentParser
import CountersignCore
import CountersignServer
import Foundation

struct CountCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "count",
        abstract: "Recompute a petition's count from its public count log.",
        subcommands: [Verify.self]
    )

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replay every leaf of a petition's count log; print PASS/FAIL lines; exit 1 on any FAIL.",
            discussion: """
                Fetches the logged count the API serves (GET /api/petitions/SLUG), the count checkpoint and every tile \
                and entry bundle (GET /count/SLUG/…). Docs/auditing.md says what each check proves.
                """)

        @Argument(help: "The petition's slug.")
        var slug: String

        @Option(help: "The service's base URL, such as https://petitions.example.org.")
        var url: String

        @Option(help: "The audit log's verifier key you trust, NAME+KEYID+BASE64, as `GET /audit/key` or `countersign keys list` prints it.")
        var key: String

        func validate() throws {
            guard (try? PetitionSlug(slug)) != nil else { throw ValidationError("\(slug) is not a petition slug (1 to 64 of a-z, 0-9 and -)") }
        }

        func run() async throws {
            let logKey = try SignedNote.Verifier(encoded: key.trimmingCharacters(in: .whitespacesAndNewlines))
            let report = try await CountVerifier(logKey: logKey, slug: slug).fetchAndVerify(fetcher: CountFetcher(base: url, slug: slug))
            print(report.text, terminator: "")
            if !report.passed { throw ExitCode(1) }
        }
    }
}
