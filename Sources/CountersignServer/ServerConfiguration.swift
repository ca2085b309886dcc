import CountersignCore
import CountersignStorage
import Foundation

/// What `countersign serve` runs with. Defaults serve the seed petition on 127.0.0.1:8080 with SQLite and a
/// mail transport that prints links to the console.
public struct ServerConfiguration: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    public var database = DatabaseLocation.defaultValue
    public var keys = "Keys/local"
    public var petitions = "seeds"
    /// `log` (print links), `smtp://[user:password@]host:port[?starttls=required&auth=plain|login]`, or
    /// `sendmail` (`/usr/sbin/sendmail`; `sendmail:PATH` for another program).
    public var mail = "log"
    /// A file holding the SMTP password, readable by its owner only, so that it need not be on the command line.
    public var mailPasswordFile: String?
    /// Let `--mail log`, which prints mailed links (secrets), run on an address that is not loopback.
    public var allowLogMail = false
    /// The sender address of mails.
    public var mailFrom = "petitions@localhost"
    /// The base of links in mails, without a trailing slash; `nil` means `http://HOST:PORT`.
    public var publicURL: String?
    public var mailQueueCapacity = 10_000
    /// Seconds a connection may stay idle, or take to send a request head, before it is closed.
    public var idleTimeout = 30
    /// Seconds a request body may take to arrive after its head.
    public var bodyDeadline = 10
    /// The most connections open at once; one more is closed at once. Room for a surge of thousands of clients.
    public var maxConnections = 8192
    /// How many mails are delivered at once.
    public var mailWorkers = 4
    /// How long one delivery attempt may take, in seconds; a slow relay holds one worker at most this long.
    public var mailDeadline = 30
    /// The reverse proxies whose `X-Forwarded-For` or `Forwarded` headers name the client (``TrustedProxies``).
    public var trustedProxies = TrustedProxies.none
    /// Per-network limit on requests that send mail; `nil` turns it off (load tests on loopback).
    public var rateLimit: NetworkRateLimiter.Policy? = .default
    /// When a sign must carry an ALTCHA proof of work: `off`, `on`, or `auto` (while a petition's or a network's sign
    /// rate is high; ``ProofOfWorkPolicy``).
    public var proofOfWork = ProofOfWorkPolicy(mode: .auto)
    /// Signs an hour per network or email domain that log a warning, and that POST an alert to ``alertWebhook``.
    public var trendThresholds = TrendThresholds()
    /// Where trend alerts are POSTed as JSON (http or https); `nil`: they are only logged. May hold a secret.
    public var alertWebhook: URL?
    /// The kill switch: take no new signatures on any petition (confirmations and withdrawals still work).
    public var collectionPaused = false
    /// The smallest cell an export or the dashboard shows (k, at least 2); smaller cells are suppressed.
    public var exportMinimumK = Suppression.defaultK
    /// The largest k an export may ask for (`countersign.exportMaximumK`).
    public var exportMaximumK = Suppression.defaultMaximumK
    /// The total differential-privacy ε each petition may spend on noisy exports.
    public var privacyBudget = Epsilon.defaultBudget
    /// Rotate keys whose cryptoperiod has ended (checked every minute), re-wrapping petition keys after a master rotation.
    public var rotateExpiredKeys = false
    /// The witnesses every new checkpoint is submitted to, and the current one at least hourly (``WitnessSubmitter``).
    public var witnesses: [WitnessEndpoint] = []
    /// When a petition's count epoch closes (`--count-epoch-age`, `--count-epoch-events`; ``CountEpochClosing``).
    public var countEpochPolicy = CountEpochPolicy.standard
    /// trace, debug, info, notice, warning, error or critical.
    public var logLevel = "info"

    public init() {}

    /// Refuses settings unsafe for a public host: `--mail log` on an address that is not loopback prints every mailed
    /// link, a secret that confirms or withdraws a signature, to the console, unless ``allowLogMail`` says so.
    public func checkSafeDefaults() throws {
        // Listening on loopback is not enough: behind a reverse proxy the service is public all the same.
        let publicHost = publicURL.flatMap { URLComponents(string: $0)?.host }
        let local = Loopback.contains(host: host) && publicHost.map { Loopback.contains(host: $0) } ?? true && trustedProxies == .none
        guard mail != "log" || allowLogMail || local else {
            throw ServerError(
                "--mail log prints every mailed link, a secret, to the console; a service listening on \(host) must send mail (smtp:// or sendmail), or pass --allow-log-mail")
        }
    }

    /// Reads `--count-epoch-age`: `0`, `90s`, `30m`, `1h` or `1d` (a bare number is seconds), as `audit verify --max-age`.
    public static func countEpochAge(parsing text: String) throws -> Duration {
        guard let age = AuditPolicy.age(parsing: text) else {
            throw ServerError("--count-epoch-age takes a number of seconds, or a number with s, m, h or d, such as 90s or 1h; not \(text)")
        }
        return age
    }

    /// Reads `--proof-of-work`: `off`, `on` or `auto`.
    public static func proofOfWorkMode(parsing text: String) throws -> ProofOfWorkPolicy.Mode {
        guard let mode = ProofOfWorkPolicy.Mode(rawValue: text) else {
            throw ServerError("--proof-of-work takes off, on or auto (the default: demanded only while sign rates are high); not \(text)")
        }
        return mode
    }

    /// Reads `--alert-webhook`: an absolute http or https URL.
    public static func alertWebhook(parsing text: String) throws -> URL {
        guard let url = URL(string: text), ["http", "https"].contains(url.scheme?.lowercased()), url.host?.isEmpty == false else {
            throw ServerError("--alert-webhook takes an http:// or https:// URL, such as https://alerts.example.org/countersign")
        }
        return url
    }

    /// Checks `--count-epoch-events`: an epoch holds at least one event.
    public static func countEpochEvents(checking count: Int) throws -> Int {
        guard count >= 1 else { throw ServerError("--count-epoch-events must be at least 1 (an epoch holds at least one event); the default is 10") }
        return count
    }

    /// The base of links in mails: ``publicURL``, or this server's own address.
    public var linkBase: String { publicURL ?? "http://\(host):\(port)" }
}
