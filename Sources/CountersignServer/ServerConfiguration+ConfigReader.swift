import Configuration
import CountersignCore
import SystemPackage

extension ServerConfiguration {
    /// The configuration from environment variables and, when `file` is given, a JSON file, through
    /// swift-configuration. Environment variables win over the file; the defaults fill the rest.
    ///
    /// Keys are `countersign.host`, `.port`, `.database`, `.keys`, `.petitions`, `.mail`, `.mailFrom`, `.mailWorkers`,
    /// `.mailDeadline`, `.idleTimeout`, `.bodyDeadline`, `.maxConnections`, `.mailPasswordFile`, `.allowLogMail`, `.publicUrl`, `.trustedProxies`,
    /// `.rateLimit`, `.proofOfWork`, `.alertWarn`, `.alertWebhook`, `.alertWebhookThreshold`, `.pauseCollection`, `.rotateExpiredKeys`,
    /// `.exportMinimumK`, `.exportMaximumK`, `.privacyBudget`,
    /// `.witnesses` (`URL=VERIFIER,URL=VERIFIER`),
    /// `.countEpochAge` (`1h`), `.countEpochEvents` and `.logLevel`: in the environment `COUNTERSIGN_HOST`,
    /// `COUNTERSIGN_MAIL_FROM`, `COUNTERSIGN_RATE_LIMIT`…; in the file `{"countersign": {"port": 8080, …}}`.
    /// The database URL and the mail URL may hold passwords and are read as secrets (never printed).
    public static func load(file: String?) async throws -> ServerConfiguration {
        var providers: [any ConfigProvider] = [EnvironmentVariablesProvider()]
        if let file {
            providers.append(try await FileProvider<JSONSnapshot>(filePath: FilePath(file)))
        }
        let reader = ConfigReader(providers: providers)
        var configuration = ServerConfiguration()
        configuration.host = reader.string(forKey: "countersign.host") ?? configuration.host
        configuration.port = reader.int(forKey: "countersign.port") ?? configuration.port
        configuration.database = reader.string(forKey: "countersign.database", isSecret: true) ?? configuration.database
        configuration.keys = reader.string(forKey: "countersign.keys") ?? configuration.keys
        configuration.petitions = reader.string(forKey: "countersign.petitions") ?? configuration.petitions
        configuration.mail = reader.string(forKey: "countersign.mail", isSecret: true) ?? configuration.mail
        configuration.mailFrom = reader.string(forKey: "countersign.mailFrom") ?? configuration.mailFrom
        configuration.mailPasswordFile = reader.string(forKey: "countersign.mailPasswordFile")
        configuration.allowLogMail = reader.bool(forKey: "countersign.allowLogMail") ?? false
        configuration.mailWorkers = reader.int(forKey: "countersign.mailWorkers") ?? configuration.mailWorkers
        configuration.idleTimeout = reader.int(forKey: "countersign.idleTimeout") ?? configuration.idleTimeout
        configuration.bodyDeadline = reader.int(forKey: "countersign.bodyDeadline") ?? configuration.bodyDeadline
        configuration.maxConnections = reader.int(forKey: "countersign.maxConnections") ?? configuration.maxConnections
        configuration.mailDeadline = reader.int(forKey: "countersign.mailDeadline") ?? configuration.mailDeadline
        configuration.publicURL = reader.string(forKey: "countersign.publicUrl")
        if let proxies = reader.string(forKey: "countersign.trustedProxies") {
            configuration.trustedProxies = try TrustedProxies(parsing: proxies)
        }
        if let rateLimit = reader.string(forKey: "countersign.rateLimit") {
            configuration.rateLimit = try NetworkRateLimiter.Policy.parse(rateLimit)
        }
        if let mode = reader.string(forKey: "countersign.proofOfWork") {
            configuration.proofOfWork.mode = try ServerConfiguration.proofOfWorkMode(parsing: mode)
        }
        if let warn = reader.int(forKey: "countersign.alertWarn") {
            configuration.trendThresholds.warning = try TrendThresholds.checked(warn, option: "--alert-warn")
        }
        if let alert = reader.int(forKey: "countersign.alertWebhookThreshold") {
            configuration.trendThresholds.alert = try TrendThresholds.checked(alert, option: "--alert-webhook-threshold")
        }
        if let url = reader.string(forKey: "countersign.alertWebhook", isSecret: true) {
            configuration.alertWebhook = try ServerConfiguration.alertWebhook(parsing: url)
        }
        configuration.collectionPaused = reader.bool(forKey: "countersign.pauseCollection") ?? false
        configuration.rotateExpiredKeys = reader.bool(forKey: "countersign.rotateExpiredKeys") ?? false
        if let k = reader.int(forKey: "countersign.exportMinimumK") { configuration.exportMinimumK = try Suppression.checkedK(k) }
        if let k = reader.int(forKey: "countersign.exportMaximumK") { configuration.exportMaximumK = try Suppression.checkedK(k) }
        if let budget = reader.string(forKey: "countersign.privacyBudget") { configuration.privacyBudget = try Epsilon(budget) }
        if let witnesses = reader.string(forKey: "countersign.witnesses") { configuration.witnesses = try WitnessEndpoint.parseList(witnesses) }
        if let age = reader.string(forKey: "countersign.countEpochAge") {
            configuration.countEpochPolicy.minimumAge = try ServerConfiguration.countEpochAge(parsing: age)
        }
        if let events = reader.int(forKey: "countersign.countEpochEvents") {
            configuration.countEpochPolicy.minimumEvents = try ServerConfiguration.countEpochEvents(checking: events)
        }
        configuration.logLevel = reader.string(forKey: "countersign.logLevel") ?? configuration.logLevel
        return configuration
    }
}
