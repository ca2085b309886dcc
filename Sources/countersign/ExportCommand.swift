import ArgumentParser
import CountersignCore
import CountersignServer
import CountersignStorage
import Foundation

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export a petition's anonymized counts offline, with the same suppression and privacy ledger as the API.")

    @OptionGroup var database: DatabaseOption

    @Argument(help: "The petition's slug.")
    var slug: String

    @Option(help: "total, day or region.")
    var by = "total"

    @Option(help: "csv or json.")
    var format = "csv"

    @Option(help: "Suppress cells below k; at least the service's minimum (countersign.exportMinimumK, default \(Suppression.defaultK)).")
    var k: Int?

    @Option(help: "Add discrete Laplace noise with this epsilon (spends from the petition's budget, countersign.privacyBudget).")
    var dpEpsilon: String?

    @Option(help: "The service's JSON configuration file, for the minimum k and the privacy budget (as for serve).")
    var config: String?

    func run() async throws {
        let slug = try PetitionSlug(slug)
        let breakdown = try ExportBreakdown(parsing: by)
        let format = try ExportFormat(parsing: self.format)
        let epsilon = try dpEpsilon.map { text throws(ExportError) in try Epsilon(text) }
        // The same minimum k and budget as the service, so the command line cannot lower either.
        let service = try await ServerConfiguration.load(file: config)
        let body = try await database.location().withStore { [k] store in
            try await PetitionExport(
                store: store, minimumK: service.exportMinimumK, maximumK: service.exportMaximumK, budgetMicros: Int64(service.privacyBudget.micros))
                .rendered(slug, by: breakdown, format: format, k: k, epsilon: epsilon, now: Date()).body
        }
        FileHandle.standardOutput.write(Data(body.utf8))
    }
}
