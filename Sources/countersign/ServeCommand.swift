import ArgumentParser
import CountersignServer
import Foundation
import Logging

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the petitions over HTTP. Every option can also be set as COUNTERSIGN_<OPTION> (e.g. COUNTERSIGN_PORT).")

    @Option(help: "Address to listen on.")
    var host = Self.environment("HOST") ?? "127.0.0.1"

    @Option(help: "Port to listen on.")
    var port = Int(Self.environment("PORT") ?? "") ?? 8080

    @Option(help: "sqlite:PATH or postgres://user:password@host:port/database.")
    var database = Self.environment("DATABASE") ?? "sqlite:.countersign/countersign.sqlite"

    @Option(help: "The keyring folder; a development keyring is created there on first run.")
    var keys = Self.environment("KEYS") ?? "Keys/local"

    @Option(help: "The folder of *.petition files.")
    var petitions = Self.environment("PETITIONS") ?? "seeds"

    @Option(help: "Mail transport: log (print links to the console), smtp://[user:password@]host:port[?starttls=required&auth=plain|login], or sendmail[:PATH].")
    var mail = Self.environment("MAIL") ?? "log"

    @Option(help: "The sender address of mails.")
    var mailFrom = Self.environment("MAIL_FROM") ?? "petitions@localhost"

    @Option(help: "The base URL of links in mails (default http://HOST:PORT).")
    var publicURL = Self.environment("PUBLIC_URL")

    @Option(help: "Per-network limit on requests that send mail: BURST/PER_HOUR (default 10/60), or off for load tests on loopback.")
    var rateLimit = Self.environment("RATE_LIMIT") ?? "10/60"

    @Flag(help: "The kill switch: take no new signatures on any petition (also COUNTERSIGN_PAUSE_COLLECTION=1).")
    var pauseCollection = Self.environment("PAUSE_COLLECTION") == "1"

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel = Self.environment("LOG_LEVEL") ?? "info"

    func run() async throws {
        var configuration = ServerConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.database = database
        configuration.keys = keys
        configuration.petitions = petitions
        configuration.mail = mail
        configuration.mailFrom = mailFrom
        configuration.publicURL = publicURL ?? "http://\(host):\(port)"
        configuration.rateLimit = try NetworkRateLimiter.Policy.parse(rateLimit)
        configuration.collectionPaused = pauseCollection
        var logger = Logger(label: "countersign")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        try await serve(configuration, logger: logger)
    }

    private static func environment(_ name: String) -> String? {
        ProcessInfo.processInfo.environment["COUNTERSIGN_" + name]
    }
}
