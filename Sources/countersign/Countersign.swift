import ArgumentParser

@main
struct Countersign: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "countersign",
        abstract: "A petition signature service that counts signers without keeping their addresses.",
        subcommands: [
            ServeCommand.self, PetitionCommand.self, KeysCommand.self, TokensCommand.self, StoreCommand.self, ExportCommand.self,
            AuditCommand.self, WitnessCommand.self, ReceiptCommand.self, CountCommand.self,
        ]
    )
}
