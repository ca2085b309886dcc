import CountersignCore
import CountersignCrypto
@testable import CountersignServer
import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import NIOCore
import NIOFoundationCompat
import Synchronization
import Testing

/// A log handler that keeps every line it is given, with its metadata, for tests that check what reaches the logs.
struct CapturingLogHandler: LogHandler {
    final class Lines: Sendable {
        let lines = Mutex<[String]>([])
        var all: String { lines.withLock { $0.joined(separator: "\n") } }
    }

    let captured: Lines
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(
        level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String, function: String, line: UInt
    ) {
        let fields = self.metadata.merging(metadata ?? [:]) { $1 }
        captured.lines.withLock { $0.append("\(level) \(message) \(fields)") }
    }
}

@Suite("Count log endpoints")
struct CountLogRoutesTests {
    static let slug = APIFixture.slug.value
    static let auditOrigin = AuditLog.origin(publicURL: "https://petitions.example.org")

    /// Signs with `email` through the API and returns the confirmation link's token.
    static func signed(_ email: String, _ client: some TestClientProtocol, _ fixture: APIFixture, mails: Int) async throws -> String {
        _ = try await client.execute(
            uri: "/api/petitions/\(slug)/signatures", method: .post, headers: APIFixture.jsonHeaders, body: APIFixture.json(["email": email]))
        return try APITests.token(from: try #require(try await fixture.delivered(mails).last))
    }

    @Test("a confirmation's receipt is in the tiles once its epoch closes, under a checkpoint the audit key verifies")
    func receiptLogged() async throws {
        let lines = CapturingLogHandler.Lines()
        let logger = Logger(label: "test") { _ in CapturingLogHandler(captured: lines) }
        let fixture = try await APIFixture(logger: logger)
        let closing = CountEpochClosing(
            store: fixture.store, policy: CountEpochPolicy(minimumAge: .zero, minimumEvents: 1), logger: logger)
        try await fixture.test { client in
            let token = try await Self.signed("signer@example.org", client, fixture, mails: 1)
            let response = try await client.execute(
                uri: "/api/confirmations", method: .post, headers: APIFixture.jsonHeaders, body: APIFixture.json(["token": token]))
            #expect(response.status == .ok)
            #expect(response.headers[.cacheControl] == "no-store")
            let answer = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
            #expect(answer["status"] as? String == "confirmed")
            let object = try #require(answer["receipt"] as? [String: Any])
            let json = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
            let receipt = try Receipt(json: String(decoding: json, as: UTF8.self))
            let code = try #require(answer["receiptCode"] as? String)
            #expect(try Receipt(code: code, auditOrigin: Self.auditOrigin) == receipt)
            #expect(receipt.origin == "petitions.example.org/audit/count/\(Self.slug)")
            #expect(receipt.slug == Self.slug && receipt.epoch == 0)

            // A replay has no receipt to offer.
            let replay = try await client.execute(
                uri: "/api/confirmations", method: .post, headers: APIFixture.jsonHeaders, body: APIFixture.json(["token": token]))
            #expect(String(buffer: replay.body) == "{\"status\":\"already-confirmed\"}")

            // Before the close the log is empty; the empty checkpoint is still signed.
            let empty = try await client.execute(uri: "/count/\(Self.slug)/checkpoint", method: .get)
            #expect(try CountCheckpoint(text: SignedNote(encoded: String(buffer: empty.body)).text).checkpoint.size == 0)
            #expect(try await client.execute(uri: "/count/\(Self.slug)/tile/entries/000.p/1", method: .get).status == .notFound)

            #expect(try await closing.tick(now: Date()) == 1)
            #expect(try await closing.tick(now: Date()) == 0, "a second closer finds nothing pending")

            let key = String(buffer: try await client.execute(uri: "/audit/key", method: .get).body).trimmingCharacters(in: .newlines)
            let checkpointResponse = try await client.execute(uri: "/count/\(Self.slug)/checkpoint", method: .get)
            #expect(checkpointResponse.headers[.contentType] == "text/plain; charset=utf-8")
            #expect(checkpointResponse.headers[.cacheControl] == "public, max-age=1")
            let note = try SignedNote(encoded: String(buffer: checkpointResponse.body))
            #expect(note.verified(by: CountCheckpoint.verifier(origin: receipt.origin, auditVerifier: try SignedNote.Verifier(encoded: key))))
            let checkpoint = try CountCheckpoint(text: note.text)
            #expect(checkpoint.checkpoint.origin == receipt.origin)
            #expect(checkpoint.checkpoint.size == 1 && checkpoint.count == 1)

            let bundle = try await client.execute(uri: "/count/\(Self.slug)/tile/entries/000.p/1", method: .get)
            #expect(bundle.headers[.contentType] == "application/octet-stream")
            #expect(bundle.headers[.cacheControl] == "public, max-age=1")
            let entries = try EntryBundle.decode(Array(buffer: bundle.body))
            let event = try CountEvent(entry: try #require(entries.first))
            let commitment = try receipt.commitment
            #expect(event.kind == .confirm(commitment) && event.epoch == receipt.epoch)
            let hashes = try await client.execute(uri: "/count/\(Self.slug)/tile/0/000.p/1", method: .get)
            #expect(Array(buffer: hashes.body) == checkpoint.checkpoint.rootHash)
            // A client built from Docs/openapi.yaml escapes the slashes of the tile path parameter; it is the same tile.
            let escaped = try await client.execute(uri: "/count/\(Self.slug)/tile/0%2F000.p%2F1", method: .get)
            #expect(escaped.status == .ok && Array(buffer: escaped.body) == Array(buffer: hashes.body))
            let head = try await client.execute(uri: "/count/\(Self.slug)/tile/0/000.p/1", method: .head)
            #expect(head.status == .ok && head.headers[.contentLength] == "32")

            let petition = try await client.execute(uri: "/api/petitions/\(Self.slug)", method: .get)
            let detail = try #require(try JSONSerialization.jsonObject(with: Data(buffer: petition.body)) as? [String: Any])
            #expect(detail["count"] as? Int == 1)
            #expect(detail["loggedCount"] as? Int == checkpoint.count)
            #expect(detail["logSize"] as? Int == checkpoint.checkpoint.size)

            // r reaches no log line and no mail, in any of its forms.
            let secret = Base64URL.encode(receipt.secret)
            let mails = fixture.transport.delivered.map { "\($0)" }.joined()
            for form in [secret, code, Data(receipt.secret).base64EncodedString()] {
                #expect(!lines.all.contains(form))
                #expect(!mails.contains(form))
            }
            #expect(lines.all.contains("closed a count epoch"))
        }
    }

    @Test("malformed tile paths answer 400, unknown petitions and tiles beyond the tree 404, in the JSON error shape")
    func refusals() async throws {
        let fixture = try await APIFixture()
        try await fixture.test { client in
            // The last two name tiles whose first entry (index × 256) is past Int.max: the multiplication used to stop the process.
            let huge = ["tile/0/x100/x000/x000/x000/x000/000", "tile/entries/x009/x223/x372/x036/x854/x775/807"]
            let malformed = ["tile/0/1", "tile/0%2F1", "tile/0/0000", "tile/0/000.p/0", "tile/0/000.p/256", "tile/64/000", "tile/entries/x000"]
            for path in malformed + ["tile/0/000/extra"] + huge {
                let response = try await client.execute(uri: "/count/\(Self.slug)/\(path)", method: .get)
                #expect(response.status == .badRequest, "\(path)")
                #expect(APITests.body(response)["error"] == "malformed-tile-path", "\(path)")
            }
            for uri in ["/count/no-such-petition/checkpoint", "/count/no-such-petition/tile/0/000", "/count/NOT%20A%20SLUG/checkpoint"] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .notFound, "\(uri)")
                #expect(APITests.body(response)["error"] == "unknown-petition", "\(uri)")
            }
            for path in ["tile/0/000", "tile/entries/000", "tile/0/000.p/3", "tile/1/000.p/1"] {
                let response = try await client.execute(uri: "/count/\(Self.slug)/\(path)", method: .get)
                #expect(response.status == .notFound, "\(path)")
                #expect(APITests.body(response)["error"] == "no-such-tile", "\(path)")
            }
        }
    }

    @Test("a full tile is served as immutable, and its hashes are the first level-0 tile of the tree the checkpoint signs")
    func fullTile() async throws {
        let fixture = try await APIFixture()
        let closing = CountEpochClosing(
            store: fixture.store, policy: CountEpochPolicy(minimumAge: .zero, minimumEvents: 1),
            logger: Logger(label: "test"))
        try await fixture.test { client in
            // 257 confirmations straight through the service, without the mail queue.
            for index in 0..<257 {
                let mail = try await fixture.service.sign(slug: APIFixture.slug, email: "s\(index)@example.org", region: nil)
                guard case .confirm(let token) = try #require(mail).kind else { Issue.record("no link"); return }
                #expect(try await fixture.service.confirm(token: token).outcome.counted)
            }
            #expect(try await closing.tick(now: Date()) == 1)
            let full = try await client.execute(uri: "/count/\(Self.slug)/tile/0/000", method: .get)
            #expect(full.status == .ok)
            #expect(full.headers[.cacheControl] == "public, max-age=31536000, immutable")
            #expect(full.body.readableBytes == 256 * 32)
            let partial = try await client.execute(uri: "/count/\(Self.slug)/tile/0/001.p/1", method: .get)
            #expect(partial.body.readableBytes == 32)
            let bundle = try await client.execute(uri: "/count/\(Self.slug)/tile/entries/000", method: .get)
            #expect(try EntryBundle.decode(Array(buffer: bundle.body)).count == 256)
            let note = try SignedNote(encoded: String(buffer: try await client.execute(uri: "/count/\(Self.slug)/checkpoint", method: .get).body))
            let checkpoint = try CountCheckpoint(text: note.text)
            #expect(checkpoint.checkpoint.size == 257 && checkpoint.count == 257)
            // RFC 6962: the root of 257 leaves is node(MTH(the first 256), leaf 256).
            var row = stride(from: 0, to: 256 * 32, by: 32).map { Array(Array(buffer: full.body)[$0..<($0 + 32)]) }
            while row.count > 1 { row = try stride(from: 0, to: row.count, by: 2).map { try SHA256.hash([0x01], row[$0], row[$0 + 1]) } }
            #expect(try SHA256.hash([0x01], row[0], Array(buffer: partial.body)) == checkpoint.checkpoint.rootHash)
        }
    }

    @Test("--count-epoch-age reads 0, 90s, 1h; --count-epoch-events refuses 0")
    func options() throws {
        #expect(try ServerConfiguration.countEpochAge(parsing: "0") == .zero)
        #expect(try ServerConfiguration.countEpochAge(parsing: "90s") == .seconds(90))
        #expect(try ServerConfiguration.countEpochAge(parsing: "1h") == .seconds(3_600))
        #expect(throws: ServerError.self) { try ServerConfiguration.countEpochAge(parsing: "1w") }
        #expect(throws: ServerError.self) { try ServerConfiguration.countEpochEvents(checking: 0) }
        #expect(ServerConfiguration().countEpochPolicy == .standard)
    }
}
