import CountersignCore
import CountersignCrypto
@testable import CountersignServer
import Foundation
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import Logging
import NIOFoundationCompat
import Synchronization
import Testing

/// A transport that keeps delivered messages in memory, for tests.
final class CapturingTransport: MailTransport {
    private let messages = Mutex<[MailMessage]>([])

    func deliver(_ message: MailMessage, within deadline: Duration) async throws {
        messages.withLock { $0.append(message) }
    }

    var delivered: [MailMessage] { messages.withLock { $0 } }
}

/// The application's router over an in-memory store with the seed petition, and a running mail queue.
struct APIFixture {
    static let slug = try! PetitionSlug("amazon-cut-ties-with-police-and-ice")
    let store = InMemorySignatureStore()
    let transport = CapturingTransport()
    let queue: MailQueue
    let service: SigningService
    let keyring: Keyring
    let limiter: NetworkRateLimiter?
    let logger: Logger
    /// The seed petition file, with the milestones the test gives it.
    let catalog: PetitionCatalog

    init(
        queueCapacity: Int = 100, rateLimit: NetworkRateLimiter.Policy? = nil, milestones: [Int] = [], logger: Logger = Logger(label: "test")
    ) async throws {
        self.logger = logger
        limiter = rateLimit.map { NetworkRateLimiter(policy: $0) }
        keyring = try Keyring.generate(now: Date())
        let seeds = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("seeds").path
        catalog = try PetitionCatalog(petitions: PetitionCatalog.load(directory: seeds).petitions.map {
            PetitionDefinition(slug: $0.slug, title: $0.title, text: $0.text, regions: $0.regions, milestones: milestones)
        })
        try await PetitionProvisioning.provision(catalog, into: store, keyring: keyring, now: Date())
        service = try SigningService(store: store, keyring: keyring)
        queue = MailQueue(transport: transport, publicURL: "https://petitions.example.org", capacity: queueCapacity, logger: logger)
    }

    /// Runs `body` against the router while the mail queue delivers in the background.
    func test<T: Sendable>(_ body: @Sendable (any TestClientProtocol) async throws -> T) async throws -> T {
        let log = AuditLog(store: store, origin: AuditLog.origin(publicURL: "https://petitions.example.org"))
        // The keyring is in memory only; the signer reads the file only when the log names a log key it lacks.
        let audit = CheckpointSigner(log: log, service: service, file: KeyringFile(directory: "/nonexistent"))
        let app = Application(
            router: try await buildRouter(
                service: service, mail: queue, publicURL: "https://petitions.example.org", limiter: limiter, audit: audit, catalog: catalog,
                logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await queue.run() }
            defer { group.cancelAll() }
            return try await app.test(.router, body)
        }
    }

    /// Waits until the queue has delivered `count` messages (or five seconds have passed) and returns them.
    func delivered(_ count: Int) async throws -> [MailMessage] {
        for _ in 0..<500 where transport.delivered.count < count {
            try await Task.sleep(for: .milliseconds(10))
        }
        return transport.delivered
    }

    static func json(_ object: [String: String]) -> ByteBuffer {
        ByteBuffer(bytes: try! JSONSerialization.data(withJSONObject: object))
    }

    static let jsonHeaders: HTTPFields = [.contentType: "application/json"]
}

@Suite("JSON API")
struct APITests {
    let signatures = "/api/petitions/\(APIFixture.slug.value)/signatures"

    static func token(from message: MailMessage) throws -> String {
        let link = try #require(message.link)
        return String(try #require(link.split(separator: "/").last))
    }

    static func body(_ response: TestResponse) -> [String: String] {
        // The string fields only (a confirmation's receipt is an object).
        ((try? JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]) ?? [:]).compactMapValues { $0 as? String }
    }

    @Test("sign, receive the link, confirm, and the count rises; a replay answers already-confirmed")
    func signAndConfirm() async throws {
        let fixture = try await APIFixture()
        try await fixture.test { client in
            let signed = try await client.execute(
                uri: signatures, method: .post, headers: APIFixture.jsonHeaders, body: APIFixture.json(["email": "Signer@Example.org", "region": "Texas"]))
            #expect(signed.status == .accepted)
            #expect(Self.body(signed) == ["status": "pending"])
            let message = try #require(try await fixture.delivered(1).first)
            #expect(message.recipient == "signer@example.org")
            let token = try Self.token(from: message)
            let confirm = { try await client.execute(uri: "/api/confirmations", method: .post, headers: APIFixture.jsonHeaders, body: APIFixture.json(["token": token])) }
            #expect(Self.body(try await confirm())["status"] == "confirmed")
            #expect(Self.body(try await confirm()) == ["status": "already-confirmed"])
            let petition = try await client.execute(uri: "/api/petitions/\(APIFixture.slug.value)", method: .get)
            let detail = try JSONSerialization.jsonObject(with: Data(buffer: petition.body)) as? [String: Any]
            #expect(detail?["count"] as? Int == 1)
            #expect((detail?["regions"] as? [String])?.count == 57)
        }
    }

    @Test("new, pending and already-confirmed addresses get the same status and body")
    func noEnumeration() async throws {
        let fixture = try await APIFixture()
        try await fixture.test { client in
            let sign = { try await client.execute(uri: signatures, method: .post, headers: APIFixture.jsonHeaders, body: APIFixture.json(["email": "a@example.org"])) }
            let first = try await sign()
            let pending = try await sign()
            // The second sign replaced the first link; the newest one confirms.
            let token = try Self.token(from: try #require(try await fixture.delivered(2).last))
            let confirmation = try await client.execute(uri: "/api/confirmations", method: .post, headers: APIFixture.jsonHeaders, body: APIFixture.json(["token": token]))
            #expect(Self.body(confirmation)["status"] == "confirmed")
            let confirmed = try await sign()
            for response in [first, pending, confirmed] {
                #expect(response.status == .accepted)
                #expect(Self.body(response) == ["status": "pending"])
            }
            #expect(try await fixture.delivered(3).last?.kindName == "already-signed")
        }
    }

    @Test("bad input gets a 4xx JSON error and stores nothing")
    func badInput() async throws {
        let fixture = try await APIFixture()
        try await fixture.test { client in
            let cases: [(uri: String, headers: HTTPFields, body: ByteBuffer, status: HTTPResponse.Status, code: String)] = [
                (signatures, APIFixture.jsonHeaders, ByteBuffer(string: "{\"email\": "), .badRequest, "invalid-json"),
                (signatures, APIFixture.jsonHeaders, ByteBuffer(string: "{}"), .badRequest, "invalid-json"),
                (signatures, APIFixture.jsonHeaders, APIFixture.json(["email": "not an address"]), .badRequest, "invalid-email"),
                (signatures, APIFixture.jsonHeaders, APIFixture.json(["email": "a@example.org\r\nBcc: b@example.org"]), .badRequest, "invalid-email"),
                (signatures, APIFixture.jsonHeaders, APIFixture.json(["email": "a@example.org", "region": "Texas\r\nBcc: b@example.org"]), .badRequest, "invalid-region"),
                (signatures, APIFixture.jsonHeaders, APIFixture.json(["email": String(repeating: "a", count: 5000) + "@example.org"]), .contentTooLarge, "body-too-large"),
                (signatures, [.contentType: "text/plain"], APIFixture.json(["email": "a@example.org"]), .unsupportedMediaType, "unsupported-media-type"),
                ("/api/petitions/no-such-petition/signatures", APIFixture.jsonHeaders, APIFixture.json(["email": "a@example.org"]), .notFound, "unknown-petition"),
                ("/api/petitions/NOT%20A%20SLUG/signatures", APIFixture.jsonHeaders, APIFixture.json(["email": "a@example.org"]), .notFound, "unknown-petition"),
                ("/api/confirmations", APIFixture.jsonHeaders, APIFixture.json(["token": "forged"]), .badRequest, "invalid-token"),
            ]
            for item in cases {
                let response = try await client.execute(uri: item.uri, method: .post, headers: item.headers, body: item.body)
                #expect(response.status == item.status, "\(item.code)")
                #expect(Self.body(response)["error"] == item.code)
                #expect(!String(buffer: response.body).contains("Bcc"))
                #expect(response.headers[.contentType] == "application/json; charset=utf-8")
            }
        }
        #expect(try await fixture.store.aggregates(APIFixture.slug) == Aggregates())
        #expect(try await fixture.store.purgeExpired(at: Date().addingTimeInterval(1e7)) == 0)
        #expect(fixture.transport.delivered.isEmpty)
    }

    @Test("every bad token gets the same 400 body")
    func tokensAlike() async throws {
        let fixture = try await APIFixture()
        try await fixture.test { client in
            _ = try await client.execute(uri: signatures, method: .post, headers: APIFixture.jsonHeaders, body: APIFixture.json(["email": "a@example.org"]))
            let token = try Self.token(from: try #require(try await fixture.delivered(1).first))
            var flipped = Array(token)
            flipped[30] = flipped[30] == "A" ? "B" : "A"
            var bodies: Set<String> = []
            for bad in ["", "x", String(flipped), token + "A"] {
                let response = try await client.execute(uri: "/api/confirmations", method: .post, headers: APIFixture.jsonHeaders, body: APIFixture.json(["token": bad]))
                #expect(response.status == .badRequest)
                bodies.insert(String(buffer: response.body))
            }
            let wrongPurpose = try await client.execute(uri: "/api/withdrawals", method: .post, headers: APIFixture.jsonHeaders, body: APIFixture.json(["token": token]))
            #expect(wrongPurpose.status == .badRequest)
            bodies.insert(String(buffer: wrongPurpose.body))
            #expect(bodies.count == 1, "\(bodies)")
        }
    }

    @Test("withdrawal: request by email, confirm from the link, the count falls")
    func withdrawal() async throws {
        let fixture = try await APIFixture()
        try await fixture.test { client in
            _ = try await client.execute(uri: signatures, method: .post, headers: APIFixture.jsonHeaders, body: APIFixture.json(["email": "a@example.org"]))
            let confirmToken = try Self.token(from: try #require(try await fixture.delivered(1).first))
            _ = try await client.execute(uri: "/api/confirmations", method: .post, headers: APIFixture.jsonHeaders, body: APIFixture.json(["token": confirmToken]))
            let requested = try await client.execute(
                uri: "/api/petitions/\(APIFixture.slug.value)/withdrawals", method: .post, headers: APIFixture.jsonHeaders, body: APIFixture.json(["email": "A@example.org"]))
            #expect(requested.status == .accepted)
            let withdrawToken = try Self.token(from: try #require(try await fixture.delivered(2).last))
            let withdrawn = try await client.execute(uri: "/api/withdrawals", method: .post, headers: APIFixture.jsonHeaders, body: APIFixture.json(["token": withdrawToken]))
            #expect(Self.body(withdrawn) == ["status": "withdrawn"])
        }
        #expect(try await fixture.store.aggregates(APIFixture.slug).total == 0)
    }

    @Test("a full mail queue answers 503 with Retry-After and stores nothing")
    func queueFull() async throws {
        let fixture = try await APIFixture(queueCapacity: 0)
        try await fixture.test { client in
            let response = try await client.execute(uri: signatures, method: .post, headers: APIFixture.jsonHeaders, body: APIFixture.json(["email": "a@example.org"]))
            #expect(response.status == .serviceUnavailable)
            #expect(response.headers[.retryAfter] == "60")
        }
        #expect(try await fixture.store.purgeExpired(at: Date().addingTimeInterval(1e7)) == 0)
    }

    @Test("past the network's burst, signing answers 429 with Retry-After and stores nothing")
    func rateLimited() async throws {
        let fixture = try await APIFixture(rateLimit: .init(burst: 2, perHour: 1))
        try await fixture.test { client in
            var statuses: [HTTPResponse.Status] = []
            var last: TestResponse?
            for n in 0..<3 {
                let response = try await client.execute(
                    uri: signatures, method: .post, headers: APIFixture.jsonHeaders, body: APIFixture.json(["email": "person\(n)@example.org"]))
                statuses.append(response.status)
                last = response
            }
            #expect(statuses == [.accepted, .accepted, .tooManyRequests])
            #expect(Int(last?.headers[.retryAfter] ?? "") ?? 0 > 0)
            #expect(Self.body(try #require(last))["error"] == "rate-limited")
            #expect(try await fixture.delivered(2).count == 2)
        }
        // Only the two accepted signers have pending rows.
        #expect(try await fixture.store.purgeExpired(at: Date().addingTimeInterval(1e7)) == 2)
    }

    @Test("responses carry no-referrer, a strict CSP and no-store; /healthz answers")
    func headers() async throws {
        let fixture = try await APIFixture()
        try await fixture.test { client in
            let response = try await client.execute(uri: "/healthz", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer")
            #expect(response.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
            #expect(response.headers[.cacheControl] == "no-store")
            let error = try await client.execute(uri: "/api/petitions/missing", method: .get)
            #expect(error.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer")
        }
    }

    @Test("a served path answers a method it does not take with 405 and Allow, writes nothing; an unknown path stays 404")
    func methodNotAllowed() async throws {
        let fixture = try await APIFixture()
        try await fixture.test { client in
            let cases: [(uri: String, method: HTTPRequest.Method, allow: String)] = [
                (signatures, .put, "POST"), (signatures, .get, "POST"), ("/api/petitions", .delete, "GET, HEAD"),
                ("/api/petitions/\(APIFixture.slug.value)", .post, "GET, HEAD"), ("/healthz", .trace, "GET, HEAD"),
                ("/audit/entries", .options, "GET, HEAD"), ("/count/\(APIFixture.slug.value)/tile/0/000", .patch, "GET, HEAD"),
                ("/confirm/anything", .delete, "GET, HEAD, POST"),
                ("/api/confirmations", try #require(HTTPRequest.Method("QUERY")), "POST"),
            ]
            for (uri, method, allow) in cases {
                let response = try await client.execute(
                    uri: uri, method: method, headers: APIFixture.jsonHeaders, body: APIFixture.json(["email": "a@example.org"]))
                #expect(response.status == .methodNotAllowed, "\(method) \(uri)")
                #expect(response.headers[.allow] == allow, "\(method) \(uri)")
                #expect(Self.body(response)["error"] == "method-not-allowed", "\(method) \(uri)")
                #expect(response.headers[.cacheControl] == "no-store")
            }
            let unknown = try await client.execute(uri: "/api/no-such-thing", method: .put)
            #expect(unknown.status == .notFound)
            #expect(try await fixture.store.aggregates(APIFixture.slug) == Aggregates())
            #expect(try await fixture.store.purgeExpired(at: Date().addingTimeInterval(1e7)) == 0, "no pending row was written")
            #expect(fixture.transport.delivered.isEmpty)
        }
    }
}
