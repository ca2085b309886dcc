import ArgumentParser
import CountersignCore
import CountersignStorage

struct StoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Inspect the signature store.",
        subcommands: [Check.self]
    )

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recount every petition from its rows and compare with the maintained aggregates; exit 1 on a difference.")

        @OptionGroup var database: DatabaseOption

        func run() async throws {
            let check = try await database.location().withStore { store in try await StoreCheck.run(store) }
            print(check.report)
            if !check.passed { throw ExitCode(1) }
        }
    }
}
