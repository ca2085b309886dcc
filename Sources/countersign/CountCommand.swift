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

        @Option(help: ArgumentHelp("A witness whose cosignature counts, NAME+KEYID+BASE64 (repeatable).", valueName: "verifier"))
        var witness: [String] = []

        @Option(help: "How many of the --witness keys must have cosigned the checkpoint (default: all of them).")
        var witnessesRequired: Int?

        func validate() throws {
            guard (try? PetitionSlug(slug)) != nil else { throw ValidationError("\(slug) is not a petition slug (1 to 64 of a-z, 0-9 and -)") }
            if let witnessesRequired, !(0...witness.count).contains(witnessesRequired) {
                throw ValidationError("--witnesses-required must lie between 0 and the number of --witness given (\(witness.count))")
            }
        }

        func run() async throws {
            let logKey = try SignedNote.Verifier(encoded: key.trimmingCharacters(in: .whitespacesAndNewlines))
            let witnesses = try witness.map { try WitnessVerifier(encoded: $0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            let verifier = CountVerifier(logKey: logKey, slug: slug, witnesses: witnesses, witnessesRequired: witnessesRequired)
            let report = try await verifier.fetchAndVerify(fetcher: CountFetcher(base: url, slug: slug))
            print(report.text, terminator: "")
            if !report.passed { throw ExitCode(1) }
        }
    }
}
