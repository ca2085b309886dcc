import ArgumentParser
import CountersignServer
import CountersignStorage
import Foundation
import Logging

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the petitions over HTTP. Every option can also be set as COUNTERSIGN_<OPTION> (e.g. COUNTERSIGN_PORT).")

    @Option(help: "Address to listen on (default 127.0.0.1).")
    var host = Self.environment("HOST")

    @Option(help: "Port to listen on (default 8080).")
    var port = Self.environment("PORT").flatMap { Int($0) }

    @Option(help: "sqlite:PATH or postgres://user:password@host:port/database (default \(DatabaseLocation.defaultValue)).")
    var database = Self.environment("DATABASE")

    @Option(help: "The keyring folder; a development keyring is created there on first run (default Keys/local).")
    var keys = Self.environment("KEYS")

    @Option(help: "The folder of *.petition files (default seeds).")
    var petitions = Self.environment("PETITIONS")

    @Option(help: "Mail transport: log (print links, the default), smtp://[user:password@]host:port[?starttls=required|optional&auth=plain|login], or sendmail[:PATH].")
    var mail = Self.environment("MAIL")

    @Option(help: "The sender address of mails.")
    var mailFrom = Self.environment("MAIL_FROM")

    @Option(help: "The base URL of links in mails (default http://HOST:PORT).")
    var publicURL = Self.environment("PUBLIC_URL")

    @Option(help: "Per-network limit on requests that send mail: BURST/PER_HOUR (default 10/60), or off for load tests on loopback.")
    var rateLimit = Self.environment("RATE_LIMIT")

    @Flag(help: "The kill switch: take no new signatures on any petition (also COUNTERSIGN_PAUSE_COLLECTION=1).")
    var pauseCollection = Self.environment("PAUSE_COLLECTION") == "1"

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel = Self.environment("LOG_LEVEL") ?? "info"

    func run() async throws {
        var configuration = ServerConfiguration()
        configuration.host = host ?? configuration.host
        configuration.port = port ?? configuration.port
        configuration.database = database ?? configuration.database
        configuration.keys = keys ?? configuration.keys
        configuration.petitions = petitions ?? configuration.petitions
        configuration.mail = mail ?? configuration.mail
        configuration.mailFrom = mailFrom ?? configuration.mailFrom
        configuration.publicURL = publicURL ?? "http://\(configuration.host):\(configuration.port)"
        if let rateLimit { configuration.rateLimit = try NetworkRateLimiter.Policy.parse(rateLimit) }
        configuration.collectionPaused = pauseCollection
        var logger = Logger(label: "countersign")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        try await serve(configuration, logger: logger)
    }

    private static func environment(_ name: String) -> String? {
        ProcessInfo.processInfo.environment["COUNTERSIGN_" + name]
    }
}
