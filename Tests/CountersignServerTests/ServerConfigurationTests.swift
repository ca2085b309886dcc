import CountersignServer
import Foundation
import Testing

@Suite("Server configuration")
struct ServerConfigurationTests {
    func file(_ json: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("countersign-config-\(UUID().uuidString).json").path
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("log mail, which prints the mailed links, is refused on an address that is not loopback unless allowed")
    func logMailOnPublicHost() throws {
        var configuration = ServerConfiguration()
        try configuration.checkSafeDefaults()
        configuration.host = "0.0.0.0"
        #expect(throws: ServerError.self) { try configuration.checkSafeDefaults() }
        configuration.host = "::"
        #expect(throws: ServerError.self) { try configuration.checkSafeDefaults() }
        configuration.allowLogMail = true
        try configuration.checkSafeDefaults()
        configuration.allowLogMail = false
        configuration.mail = "sendmail"
        try configuration.checkSafeDefaults()
        configuration.mail = "log"
        configuration.host = "localhost"
        try configuration.checkSafeDefaults()
        // Listening on loopback behind a reverse proxy is public all the same.
        configuration.publicURL = "https://petitions.example.org"
        #expect(throws: ServerError.self) { try configuration.checkSafeDefaults() }
        configuration.publicURL = nil
        configuration.trustedProxies = try TrustedProxies(parsing: "127.0.0.1")
        #expect(throws: ServerError.self) { try configuration.checkSafeDefaults() }
    }

    @Test("no file: the safe defaults (loopback, SQLite, log mail, rate limit on)")
    func defaults() async throws {
        let configuration = try await ServerConfiguration.load(file: nil)
        #expect(configuration.host == "127.0.0.1")
        #expect(configuration.port == 8080)
        #expect(configuration.database == "sqlite:.countersign/countersign.sqlite")
        #expect(configuration.mail == "log")
        #expect(configuration.rateLimit == .default)
        #expect(configuration.linkBase == "http://127.0.0.1:8080")
    }

    @Test("a JSON file sets options by their swift-configuration keys")
    func jsonFile() async throws {
        let path = try file(#"{"countersign": {"port": 9000, "rateLimit": "off", "publicUrl": "https://petitions.example.org", "pauseCollection": true}}"#)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let configuration = try await ServerConfiguration.load(file: path)
        #expect(configuration.port == 9000)
        #expect(configuration.rateLimit == nil)
        #expect(configuration.collectionPaused)
        #expect(configuration.linkBase == "https://petitions.example.org")
    }

    @Test("trend alerts: thresholds 100 and 200 and no webhook by default; the file sets them; a bad value is refused")
    func trendAlerts() async throws {
        let defaults = try await ServerConfiguration.load(file: nil)
        #expect(defaults.trendThresholds == TrendThresholds(warning: 100, alert: 200) && defaults.alertWebhook == nil)
        let path = try file(#"{"countersign": {"alertWarn": 5, "alertWebhookThreshold": 7, "alertWebhook": "https://alerts.example.org/h?k=s"}}"#)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let configuration = try await ServerConfiguration.load(file: path)
        #expect(configuration.trendThresholds == TrendThresholds(warning: 5, alert: 7))
        #expect(configuration.alertWebhook?.absoluteString == "https://alerts.example.org/h?k=s")
        for bad in [#""alertWarn": 0"#, #""alertWebhookThreshold": -1"#, #""alertWebhook": "file:///etc/passwd""#, #""alertWebhook": "http://""#] {
            let path = try file(#"{"countersign": {\#(bad)}}"#)
            defer { try? FileManager.default.removeItem(atPath: path) }
            await #expect(throws: ServerError.self, "\(bad)") { try await ServerConfiguration.load(file: path) }
        }
    }

    @Test("a bad value or a missing file is an error, not a silent default")
    func badValues() async throws {
        let path = try file(#"{"countersign": {"rateLimit": "lots"}}"#)
        defer { try? FileManager.default.removeItem(atPath: path) }
        await #expect(throws: (any Error).self) { try await ServerConfiguration.load(file: path) }
        await #expect(throws: (any Error).self) { try await ServerConfiguration.load(file: "/nonexistent/countersign.json") }
    }
}
