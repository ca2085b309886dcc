import ArgumentParser
import CountersignCore
import CountersignServer
import CountersignStorage
import Logging

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the petitions over HTTP.",
        discussion: """
            Options come from these flags, then COUNTERSIGN_* environment variables (COUNTERSIGN_PORT, \
            COUNTERSIGN_RATE_LIMIT, …), then the --config JSON file ({"countersign": {"port": 8080}}), then the defaults.
            """)

    @Option(help: "A JSON configuration file.")
    var config: String?

    @Option(help: "Address to listen on (default 127.0.0.1).")
    var host: String?

    @Option(help: "Port to listen on (default 8080).")
    var port: Int?

    @Option(help: "sqlite:PATH or postgres://user:password@host:port/database (default \(DatabaseLocation.defaultValue)).")
    var database: String?

    @Option(help: "The keyring folder; a development keyring is created there on first run (default Keys/local).")
    var keys: String?

    @Option(help: "The folder of *.petition files (default seeds).")
    var petitions: String?

    @Option(help: "Mail transport: log (print links, the default), smtp://[user:password@]host:port[?starttls=required|optional&auth=plain|login], or sendmail[:PATH].")
    var mail: String?

    @Option(help: "The sender address of mails (default petitions@localhost).")
    var mailFrom: String?

    @Option(help: "A file holding the SMTP password (mode 600), instead of putting it in the --mail URL.")
    var mailPasswordFile: String?

    @Flag(help: "Allow --mail log (which prints mailed links, secrets, to the console) on an address that is not loopback.")
    var allowLogMail = false

    @Option(help: "Seconds a connection may stay idle, or take to send a request head, before it is closed (default 30).")
    var idleTimeout: Int?

    @Option(help: "Seconds a request body may take to arrive after its head (default 10).")
    var bodyDeadline: Int?

    @Option(help: "The most connections open at once (default 8192).")
    var maxConnections: Int?

    @Option(help: "How many mails are delivered at once (default 4).")
    var mailWorkers: Int?

    @Option(help: "Seconds one delivery attempt may take before it is abandoned and retried later (default 30).")
    var mailDeadline: Int?

    @Option(help: "The base URL of links in mails (default http://HOST:PORT).")
    var publicURL: String?

    @Option(help: "Per-network limit on requests that send mail: BURST/PER_HOUR (default 10/60), or off for load tests on loopback.")
    var rateLimit: String?

    @Option(help: "When a sign must carry an ALTCHA proof of work: off, on, or auto (default: only while a petition's or a network's sign rate is high).")
    var proofOfWork: String?

    @Option(help: "Signs an hour from one network or email domain that log a warning (default 100).")
    var alertWarn: Int?

    @Option(help: "Signs an hour from one network or email domain that POST an alert to --alert-webhook (default 200).")
    var alertWebhookThreshold: Int?

    @Option(help: "An http(s) URL to POST trend alerts to as JSON (default none: alerts are only logged).")
    var alertWebhook: String?

    @Option(help: "Reverse proxies whose X-Forwarded-For or Forwarded header names the client: CIDR[,CIDR…] (default none).")
    var trustedProxies: String?

    @Flag(help: "The kill switch: take no new signatures on any petition.")
    var pauseCollection = false

    @Flag(help: "Rotate keys whose cryptoperiod has ended (checked every minute); a master rotation re-wraps petition keys.")
    var rotateExpiredKeys = false

    @Option(
        help: ArgumentHelp(
            "A witness to submit every new checkpoint to, and the current one at least hourly: URL=VERIFIER, the witness's URL and its verifier key (repeatable).",
            valueName: "url=verifier"))
    var witness: [String] = []

    @Option(help: "How old a count epoch must be to close: 0, 90s, 30m, 1h (default) or 1d; a bare number is seconds.")
    var countEpochAge: String?

    @Option(help: "How many events a count epoch must hold to close while its petition collects signatures (default 10).")
    var countEpochEvents: Int?

    @Option(help: "Log level: trace, debug, info (default), notice, warning, error, critical.")
    var logLevel: String?

    func run() async throws {
        var configuration = try await ServerConfiguration.load(file: config)
        configuration.host = host ?? configuration.host
        configuration.port = port ?? configuration.port
        configuration.database = database ?? configuration.database
        configuration.keys = keys ?? configuration.keys
        configuration.petitions = petitions ?? configuration.petitions
        configuration.mail = mail ?? configuration.mail
        configuration.mailFrom = mailFrom ?? configuration.mailFrom
        configuration.mailPasswordFile = mailPasswordFile ?? configuration.mailPasswordFile
        configuration.allowLogMail = configuration.allowLogMail || allowLogMail
        configuration.idleTimeout = idleTimeout ?? configuration.idleTimeout
        configuration.bodyDeadline = bodyDeadline ?? configuration.bodyDeadline
        configuration.maxConnections = maxConnections ?? configuration.maxConnections
        configuration.mailWorkers = mailWorkers ?? configuration.mailWorkers
        configuration.mailDeadline = mailDeadline ?? configuration.mailDeadline
        configuration.publicURL = publicURL ?? configuration.publicURL
        if let rateLimit { configuration.rateLimit = try NetworkRateLimiter.Policy.parse(rateLimit) }
        if let proofOfWork { configuration.proofOfWork.mode = try ServerConfiguration.proofOfWorkMode(parsing: proofOfWork) }
        if let alertWarn { configuration.trendThresholds.warning = try TrendThresholds.checked(alertWarn, option: "--alert-warn") }
        if let alertWebhookThreshold {
            configuration.trendThresholds.alert = try TrendThresholds.checked(alertWebhookThreshold, option: "--alert-webhook-threshold")
        }
        if let alertWebhook { configuration.alertWebhook = try ServerConfiguration.alertWebhook(parsing: alertWebhook) }
        if let trustedProxies { configuration.trustedProxies = try TrustedProxies(parsing: trustedProxies) }
        configuration.collectionPaused = configuration.collectionPaused || pauseCollection
        configuration.rotateExpiredKeys = configuration.rotateExpiredKeys || rotateExpiredKeys
        if !witness.isEmpty { configuration.witnesses = try witness.map(WitnessEndpoint.init(parsing:)) }
        if let countEpochAge { configuration.countEpochPolicy.minimumAge = try ServerConfiguration.countEpochAge(parsing: countEpochAge) }
        if let countEpochEvents {
            configuration.countEpochPolicy.minimumEvents = try ServerConfiguration.countEpochEvents(checking: countEpochEvents)
        }
        configuration.logLevel = logLevel ?? configuration.logLevel
        var logger = Logger(label: "countersign")
        logger.logLevel = Logger.Level(rawValue: configuration.logLevel) ?? .info
        try await serve(configuration, logger: logger)
    }
}
