import ArgumentParser
import CountersignCore
import CountersignServer
import Logging

struct WitnessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "witness",
        abstract: "Run a C2SP tlog-witness that cosigns a log's checkpoints after checking they extend what it saw.",
        discussion: "Docs/auditing.md (\"Running a witness\") says how an independent party runs one and what its cosignature proves.",
        subcommands: [Init.self, Serve.self]
    )

    struct Init: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make a witness key (mode 600) and print its verifier key.")

        @Option(help: "Where to write the key; an existing file is not replaced.")
        var key: String

        @Option(help: "The witness's name, a schema-less URL such as witness.example.org/w1.")
        var name: String

        func run() async throws {
            print(try WitnessKeyFile(path: key).create(name: name).verifier.encoded)
        }
    }

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve POST /add-checkpoint; the last cosigned size of each log is kept in KEY.state.json.")

        @Option(help: "The witness key file made by `countersign witness init`.")
        var key: String

        @Option(help: "Address to listen on (default 127.0.0.1).")
        var host = "127.0.0.1"

        @Option(help: "Port to listen on (default 8090).")
        var port = 8090

        @Option(
            help: ArgumentHelp(
                "A log to cosign, ORIGIN=VERIFIER (repeatable); it also covers origins that begin ORIGIN/. Give two for one origin to accept either key (a log-key rotation).",
                valueName: "origin=verifier"))
        var log: [String] = []

        @Option(help: "Log level: trace, debug, info (default), notice, warning, error, critical.")
        var logLevel = "info"

        func run() async throws {
            var configuration = WitnessConfiguration(key: key, logs: log)
            configuration.host = host
            configuration.port = port
            var logger = Logger(label: "countersign.witness")
            logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
            try await serveWitness(configuration, logger: logger)
        }
    }
}
