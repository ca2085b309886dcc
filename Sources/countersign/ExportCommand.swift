import ArgumentParser
import CountersignCore
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

    @Option(help: "Suppress cells below k (at least 2; default \(Suppression.defaultK)).")
    var k = Suppression.defaultK

    @Option(help: "Add discrete Laplace noise with this epsilon (spends from the petition's budget).")
    var dpEpsilon: String?

    @Option(help: "The petition's total epsilon budget (default \(Epsilon.defaultBudget)).")
    var dpBudget = Epsilon.defaultBudget.description

    func run() async throws {
        let slug = try PetitionSlug(slug)
        let breakdown = try ExportBreakdown(parsing: by)
        let format = try ExportFormat(parsing: self.format)
        let k = try Suppression.checkedK(k)
        let epsilon = try dpEpsilon.map { text throws(ExportError) in try Epsilon(text) }
        let budget = try Epsilon(dpBudget)
        let table = try await database.location().withStore { store in
            try await PetitionExport(store: store, minimumK: k, budgetMicros: Int64(budget.micros))
                .table(slug, by: breakdown, epsilon: epsilon, now: Date())
        }
        FileHandle.standardOutput.write(Data(try table.render(format).utf8))
    }
}
