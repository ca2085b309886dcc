import CountersignCore
import Foundation
import Hummingbird
import Logging

/// What `countersign witness serve` runs with.
public struct WitnessConfiguration: Sendable {
    public var host = "127.0.0.1"
    public var port = 8090
    /// The witness key file (``WitnessKeyFile``); the state is kept beside it (``WitnessStateFile``).
    public var key: String
    /// The logs to cosign, `ORIGIN=VERIFIER` each (``WitnessedLog/parse(_:)``).
    public var logs: [String]

    public init(key: String, logs: [String]) {
        self.key = key
        self.logs = logs
    }
}

/// Builds the witness application: reads the key (mode 0600), locks and loads the state, and serves `add-checkpoint`.
public func buildWitnessApplication(_ configuration: WitnessConfiguration, logger: Logger) throws -> some ApplicationProtocol {
    let signer = try WitnessKeyFile(path: configuration.key).load()
    let logs = try WitnessedLog.parse(configuration.logs)
    guard !logs.isEmpty else { throw ServerError("give at least one --log ORIGIN=VERIFIER: the logs this witness cosigns") }
    let witness = try Witness(signer: signer, logs: logs, file: WitnessStateFile(keyPath: configuration.key))
    let router = Router(options: .autoGenerateHeadEndpoints)
    WitnessRoutes(witness: witness, logger: logger).add(to: router)
    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Countersign witness"),
        logger: logger)
}

/// `countersign witness serve`: runs the witness until SIGTERM or SIGINT.
public func serveWitness(_ configuration: WitnessConfiguration, logger: Logger) async throws {
    try ProcessHardening.disableDumps()
    let app = try buildWitnessApplication(configuration, logger: logger)
    logger.info("starting the witness", metadata: ["address": "\(configuration.host):\(configuration.port)"])
    try await app.runService()
}
