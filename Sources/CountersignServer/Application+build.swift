import CountersignCore
import CountersignCrypto
import CountersignStorage
import Foundation
import Hummingbird
import Logging
import Metrics
import Prometheus
import Mustache
import NIOCore
import ServiceLifecycle

/// Builds the Countersign application: opens the keyring (creating a development one on first run), the
/// store and the petitions folder, provisions new petitions, and wires the routes and the mail queue.
public func buildApplication(
    _ configuration: ServerConfiguration, store: any SignatureStore, metrics: PrometheusCollectorRegistry? = nil,
    services: [any Service] = [], logger: Logger
) async throws -> some ApplicationProtocol {
    let now = Date()
    let keyringFile = KeyringFile(directory: configuration.keys)
    let keyring = try keyringFile.loadOrInitialize(now: now)
    let catalog = try PetitionCatalog.load(directory: configuration.petitions)
    let created = try await PetitionProvisioning.provision(catalog, into: store, keyring: keyring, now: now)
    if !created.isEmpty { logger.info("provisioned petitions", metadata: ["slugs": "\(created.map(\.value))"]) }

    let transport: any MailTransport =
        switch configuration.mail {
        case "log": LogMailTransport()
        case "sendmail": SendmailMailTransport(sender: configuration.mailFrom)
        case let other where other.hasPrefix("sendmail:"):
            SendmailMailTransport(program: String(other.dropFirst("sendmail:".count)), sender: configuration.mailFrom)
        default:
            try SMTPMailTransport(
                url: configuration.mail, sender: configuration.mailFrom, password: try configuration.mailPasswordFile.map(SecretFile.read))
        }
    let webhook = configuration.alertWebhook.map { AlertWebhook(url: $0, logger: logger) }
    let trends = TrendMonitor(thresholds: configuration.trendThresholds, webhook: webhook, logger: logger)
    let service = try SigningService(store: store, keyring: keyring, collectionPaused: configuration.collectionPaused, observer: trends)
    guard configuration.mailWorkers >= 1, configuration.mailDeadline >= 1 else {
        throw ServerError("the mail workers and the mail deadline (--mail-workers, --mail-deadline) must be at least 1")
    }
    guard configuration.idleTimeout >= 1, configuration.bodyDeadline >= 1, configuration.maxConnections >= 1 else {
        throw ServerError("--idle-timeout, --body-deadline and --max-connections must be at least 1")
    }
    let mail = MailQueue(
        transport: transport, publicURL: configuration.linkBase, linkLifetime: service.tokenLifetime,
        capacity: configuration.mailQueueCapacity, workers: configuration.mailWorkers, deadline: .seconds(configuration.mailDeadline),
        logger: logger)
    do {
        try await service.checkPetitionKeys()
    } catch {
        throw ServerError("\(error.description); start with the keyring (--keys) that created these petitions, or restore it from backup")
    }
    let limiter = configuration.rateLimit.map { NetworkRateLimiter(policy: $0) }
    let audit = try await LogNaming.serve(publicURL: configuration.linkBase).log(over: store)
    if audit.origin != AuditLog.origin(publicURL: configuration.linkBase) {
        logger.warning("the audit log keeps the name its entries carry", metadata: ["origin": "\(audit.origin)"])
    }
    try await KeyEvents.record(keyring, in: audit, now: now)
    try await PetitionEvents.record(in: store, now: now)
    let export = PetitionExport(
        store: store, minimumK: configuration.exportMinimumK, maximumK: configuration.exportMaximumK,
        budgetMicros: Int64(configuration.privacyBudget.micros))
    let signer = CheckpointSigner(log: audit, service: service, file: keyringFile)
    let counts = CountCheckpointSigner(signer: signer, logs: CountLogCache(store: store, auditOrigin: audit.origin))
    let router = try await buildRouter(
        service: service, mail: mail, publicURL: configuration.linkBase, limiter: limiter, audit: signer, counts: counts, metrics: metrics,
        export: export, trustedProxies: configuration.trustedProxies, proofOfWork: configuration.proofOfWork, trends: trends, catalog: catalog)
    let witnesses: [any Service] =
        configuration.witnesses.isEmpty ? [] : [WitnessSubmitter(signer: signer, counts: counts, witnesses: configuration.witnesses, logger: logger)]
    let connections = ConnectionGuard.OpenConnections(limit: configuration.maxConnections)
    let bodyDeadline = TimeAmount.seconds(Int64(configuration.bodyDeadline))
    return Application(
        router: router,
        server: .http1(configuration: .init(
            additionalChannelHandlers: [ConnectionGuard(connections: connections, bodyDeadline: bodyDeadline)],
            idleTimeout: .seconds(Int64(configuration.idleTimeout)))),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Countersign"),
        services: services + [
            mail, PendingPurge(store: store, interval: .seconds(300), logger: logger),
            CountEpochClosing(store: store, policy: configuration.countEpochPolicy, logger: logger),
            KeyMaintenance(
                file: keyringFile, service: service, log: audit, rotateExpired: configuration.rotateExpiredKeys, interval: .seconds(60),
                logger: logger),
        ] + witnesses + (webhook.map { [$0] } ?? []),
        logger: logger)
}

/// The routes, shared by the server and the tests.
///
/// With `audit`, the audit and count logs are served (`counts`, by default over `audit`'s log); without it the API still
/// reports the logged count and hands out receipts, under the audit origin `publicURL` gives. The petition pages show the
/// milestones of `catalog`'s files.
///
/// `HEAD` is answered wherever `GET` is, by the router (RFC 9110): the `GET` route runs and its body is dropped. A `GET`
/// that records something (an organizer export) registers its own `HEAD` instead, which records nothing.
func buildRouter(
    service: SigningService, mail: MailQueue, publicURL: String, limiter: NetworkRateLimiter?, audit: CheckpointSigner? = nil,
    counts: CountCheckpointSigner? = nil, metrics: PrometheusCollectorRegistry? = nil, export: PetitionExport? = nil,
    trustedProxies: TrustedProxies = .none, proofOfWork: ProofOfWorkPolicy = ProofOfWorkPolicy(mode: .off), trends: TrendMonitor? = nil,
    catalog: PetitionCatalog? = nil, logger: Logger = Logger(label: "countersign.signing")
) async throws -> Router<CountersignRequestContext> {
    guard let templates = Bundle.module.url(forResource: "Templates", withExtension: nil) else {
        throw ServerError("the page templates are missing from the build")
    }
    let router = Router(context: CountersignRequestContext.self, options: .autoGenerateHeadEndpoints)
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: ClientAddressMiddleware(trusted: trustedProxies))
    let access = AccessControl(store: service.store)
    if let metrics {
        // Request metrics are labelled by route pattern (`/confirm/{token}`), never by a request's own path.
        router.add(middleware: MetricsMiddleware())
        router.get("metrics") { request, _ in
            _ = try await access.authorize(request, .auditor)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: metrics.emitToBuffer())))
        }
    }
    router.get("healthz") { _, _ in ["status": "ok"] }
    let networks = NetworkIdentifier()
    let sender = MailSender(queue: mail, limiter: limiter, service: service, logger: logger, trends: trends, networks: networks)
    let pages = PageRenderer(templates: try await MustacheLibrary(directory: templates.path))
    let counts = counts ?? audit.map { CountCheckpointSigner(signer: $0, logs: CountLogCache(store: service.store, auditOrigin: $0.log.origin)) }
    let countLogs = counts?.logs ?? CountLogCache(store: service.store, auditOrigin: AuditLog.origin(publicURL: publicURL))
    let proofOfWork = proofOfWork.mode == .off ? nil : ProofOfWorkGate(policy: proofOfWork, service: service)
    APIRoutes(service: service, mail: sender, proofOfWork: proofOfWork, countLogs: countLogs).add(to: router)
    let csrf = CSRFProtection(secureCookie: publicURL.hasPrefix("https:"))
    PageRoutes(
        service: service, mail: sender, pages: pages,
        stylesheet: try String(contentsOf: templates.appendingPathComponent("style.css"), encoding: .utf8),
        script: try String(contentsOf: templates.appendingPathComponent("pow.js"), encoding: .utf8), csrf: csrf, proofOfWork: proofOfWork,
        auditOrigin: countLogs.auditOrigin, catalog: catalog
    ).add(to: router)
    BadgeRoutes(store: service.store).add(to: router)
    OrganizerRoutes(export: export ?? PetitionExport(store: service.store), access: access, pages: pages, csrf: csrf).add(to: router)
    if let audit { AuditRoutes(signer: audit).add(to: router) }
    if let counts { CountRoutes(signer: counts).add(to: router) }
    router.answerUnsupportedMethods()
    return router
}

/// A configuration problem that stops the server from starting; the message says what to change.
public struct ServerError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// `countersign serve`: opens the configured store and runs the application until SIGTERM or SIGINT, then
/// drains requests and the mail queue.
public func serve(_ configuration: ServerConfiguration, logger: Logger) async throws {
    // Queued mail holds addresses in memory; a core dump must not carry them to disk, nor another process read them.
    var noCore = rlimit(rlim_cur: 0, rlim_max: 0)
    guard setrlimit(__rlimit_resource_t(RLIMIT_CORE.rawValue), &noCore) == 0 else { throw ServerError("cannot disable core dumps (setrlimit)") }
    try ProcessHardening.disableDumps()
    // Each connection holds a descriptor: let the surge the connection cap allows be served, up to the hard limit.
    var files = rlimit()
    if getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &files) == 0 {
        files.rlim_cur = max(files.rlim_cur, min(files.rlim_max, rlim_t(configuration.maxConnections + 1024)))
        _ = setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &files)
    }
    try configuration.checkSafeDefaults()
    let location = try DatabaseLocation(configuration.database)
    logger.info("starting Countersign", metadata: ["database": "\(location)", "address": "\(configuration.host):\(configuration.port)"])
    let metrics = PrometheusCollectorRegistry()
    MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: metrics))
    try await location.withStore(logger: logger) { store in
        let app = try await buildApplication(configuration, store: store, metrics: metrics, logger: logger)
        try await app.runService()
    }
}
