import CountersignCore
import CountersignCrypto
import Foundation
import Synchronization
import Testing

@Suite("Signing flows")
struct SigningServiceTests {
    static let slug = try! PetitionSlug("amazon-cut-ties-with-police-and-ice")

    /// A service over an in-memory store holding the seed petition, with a settable clock.
    final class Fixture: Sendable {
        let store = InMemorySignatureStore()
        let keyring: Keyring
        let service: SigningService
        let clock: Clock

        final class Clock: Sendable {
            private let time = Mutex(Date(timeIntervalSince1970: 1_800_000_000))
            var now: Date { time.withLock { $0 } }
            func advance(_ seconds: TimeInterval) { time.withLock { $0 += seconds } }
        }

        init() async throws {
            let clock = Clock()
            self.clock = clock
            keyring = try Keyring.generate(now: clock.now)
            service = try SigningService(store: store, keyring: keyring, now: { clock.now })
            let catalog = try PetitionCatalog(petitions: [
                PetitionDefinition(slug: SigningServiceTests.slug, title: "Tell Amazon", text: "Text", regions: ["California", "Texas"])
            ])
            try await PetitionProvisioning.provision(catalog, into: store, keyring: keyring, now: clock.now)
        }

        func token(_ mail: OutgoingMail?) throws -> String {
            switch try #require(mail).kind {
            case .confirm(let token), .withdraw(let token): return token
            case .alreadySigned, .notSigned: throw NoTokenInMail()
            }
        }
    }

    struct NoTokenInMail: Error {}

    @Test("sign mails a link to the canonical address, the mailbox the pseudonym stands for; confirming it counts one signature in the chosen region")
    func signAndConfirm() async throws {
        let f = try await Fixture()
        let mail = try await f.service.sign(slug: Self.slug, email: "  Jane.Doe+x@Example.org ", region: "Texas")
        // Not to `Jane.Doe+x@…`: whoever receives that spelling must not get the mail about jane.doe@'s signature.
        #expect(mail?.recipient == "jane.doe@example.org")
        #expect(try await f.service.confirm(token: f.token(mail)).outcome.counted)
        #expect(try await f.service.confirm(token: f.token(mail)).outcome == .alreadyConfirmed)
        let aggregates = try await f.store.aggregates(Self.slug)
        #expect(aggregates.total == 1)
        #expect(aggregates.byRegion == ["Texas": 1])
    }

    /// Keeps what a ``SignObserver`` is shown.
    final class RecordingObserver: SignObserver {
        let seen = Mutex<[(domain: String, petition: PetitionSlug, pseudonym: Pseudonym)]>([])
        func observeSign(domain: String, petition: PetitionSlug, pseudonym: Pseudonym) { seen.withLock { $0.append((domain, petition, pseudonym)) } }
    }

    @Test("the observer sees every sign request, with its domain and pseudonym, whatever the state and past the mail cap; no withdrawal")
    func observer() async throws {
        let f = try await Fixture()
        let observer = RecordingObserver()
        let service = try SigningService(store: f.store, keyring: f.keyring, observer: observer, now: { f.clock.now })
        let mail = try await service.sign(slug: Self.slug, email: "Jane.Doe+x@Example.ORG", region: nil)
        _ = try await service.confirm(token: f.token(mail))
        for _ in 0..<7 { _ = try await service.sign(slug: Self.slug, email: "jane.doe@example.org", region: nil) }
        _ = try await service.sign(slug: Self.slug, email: "joe@example.net", region: nil)
        _ = try await service.requestWithdrawal(slug: Self.slug, email: "jane.doe@example.org")
        let seen = observer.seen.withLock { $0 }
        #expect(seen.map(\.domain) == Array(repeating: "example.org", count: 8) + ["example.net"])
        #expect(seen.allSatisfy { $0.petition == Self.slug })
        #expect(Set(seen.map(\.pseudonym)).count == 2, "one pseudonym per address, the same whether pending, signed or capped")
        _ = try? await service.sign(slug: Self.slug, email: "not an address", region: nil)
        #expect(observer.seen.withLock { $0.count } == 9, "a refused request is not seen")
    }

    @Test("a pause and a resume made through the store by another process are seen by the next request, though the record is cached")
    func cachedRecordSeesStateChanges() async throws {
        let f = try await Fixture()
        // The first request caches the petition's record.
        _ = try await f.service.sign(slug: Self.slug, email: "a@example.org", region: nil)
        try await f.store.setState(.paused, of: Self.slug, at: f.clock.now)
        await #expect(throws: SigningError.petitionNotOpen()) {
            _ = try await f.service.prepareSign(slug: Self.slug, email: "b@example.org", region: nil)
        }
        // A paused petition still takes withdrawals.
        _ = try await f.service.prepareWithdrawal(slug: Self.slug, email: "a@example.org")
        try await f.store.setState(.open, of: Self.slug, at: f.clock.now)
        let mail = try await f.service.sign(slug: Self.slug, email: "b@example.org", region: "Texas")
        #expect(try await f.service.confirm(token: f.token(mail)).outcome.counted)
        await #expect(throws: SigningError.invalidRegion()) {
            _ = try await f.service.prepareSign(slug: Self.slug, email: "c@example.org", region: "Ohio")
        }
    }

    @Test("every mail to one address counts against one cap of five a UTC day, whatever its kind")
    func mailCap() async throws {
        let f = try await Fixture()
        let first = try await f.service.sign(slug: Self.slug, email: "jane@example.org", region: nil)
        _ = try await f.service.confirm(token: f.token(first))
        var kinds: [String?] = []
        for _ in 0..<3 {
            kinds.append(try await f.service.sign(slug: Self.slug, email: "JANE@example.org", region: nil)?.kind.name)
        }
        kinds.append(try await f.service.requestWithdrawal(slug: Self.slug, email: "jane@example.org")?.kind.name)
        kinds.append(try await f.service.sign(slug: Self.slug, email: "jane@example.org", region: nil)?.kind.name)
        #expect(kinds == ["already-signed", "already-signed", "already-signed", "withdraw", nil])
        f.clock.advance(86_400)
        #expect(try await f.service.sign(slug: Self.slug, email: "jane@example.org", region: nil)?.kind == .alreadySigned)
        #expect(try await f.store.aggregates(Self.slug).total == 1)
    }

    @Test("past the cap a pending address gets no new link and nothing is written: its last link still confirms")
    func capWritesNothing() async throws {
        let f = try await Fixture()
        var mails: [OutgoingMail] = []
        for _ in 0..<6 {
            if let mail = try await f.service.sign(slug: Self.slug, email: "pending@example.org", region: nil) { mails.append(mail) }
        }
        #expect(mails.count == 5)
        #expect(try await f.service.confirm(token: f.token(try #require(mails.last))).outcome.counted)
    }

    @Test("a withdrawal request mails 'not signed' to an address without a confirmed signature, and writes the same")
    func withdrawalOfNonSigner() async throws {
        let f = try await Fixture()
        let never = try await f.service.requestWithdrawal(slug: Self.slug, email: "never@example.org")
        #expect(never?.kind == .notSigned)
        let pending = try await f.service.sign(slug: Self.slug, email: "pending@example.org", region: nil)
        #expect(pending.map { if case .confirm = $0.kind { true } else { false } } == true)
        #expect(try await f.service.requestWithdrawal(slug: Self.slug, email: "pending@example.org")?.kind == .notSigned)
        // One pending confirmation, two pending withdrawals: the never-signed address's row was written too.
        #expect(try await f.store.purgeExpired(at: f.clock.now.addingTimeInterval(1e7)) == 3)
    }

    @Test("bad input is refused by rule and writes nothing")
    func badInput() async throws {
        let f = try await Fixture()
        await #expect(throws: SigningError.invalidEmail(EmailAddressError(.missingAt))) {
            try await f.service.sign(slug: Self.slug, email: "not-an-address", region: nil)
        }
        await #expect(throws: SigningError.invalidRegion()) { try await f.service.sign(slug: Self.slug, email: "a@example.org", region: "Atlantis") }
        await #expect(throws: SigningError.unknownPetition()) {
            try await f.service.sign(slug: PetitionSlug("no-such-petition"), email: "a@example.org", region: nil)
        }
        await #expect(throws: SigningError.self) { try await f.service.confirm(token: "not-a-token") }
        #expect(try await f.store.aggregates(Self.slug) == Aggregates())
        #expect(try await f.store.purgeExpired(at: f.clock.now.addingTimeInterval(1e7)) == 0)
    }

    @Test("a tampered, wrong-purpose or expired token is refused; expiry is told apart")
    func tokens() async throws {
        let f = try await Fixture()
        let mail = try await f.service.sign(slug: Self.slug, email: "a@example.org", region: nil)
        let token = try f.token(mail)
        var tampered = Array(token)
        tampered[40] = tampered[40] == "A" ? "B" : "A"
        await #expect(throws: SigningError.self) { try await f.service.confirm(token: String(tampered)) }
        let wrongPurpose = await #expect(throws: SigningError.invalidToken(nil)) { try await f.service.withdraw(token: token) }
        #expect(wrongPurpose?.token?.code == .wrongPurpose)
        f.clock.advance(TimeInterval(f.service.tokenLifetime.components.seconds))
        await #expect(throws: SigningError.expiredToken()) { try await f.service.confirm(token: token) }
        #expect(try await f.store.aggregates(Self.slug).total == 0)
    }

    @Test("withdrawal mails a link only to a signer, and the link removes the signature")
    func withdrawal() async throws {
        let f = try await Fixture()
        #expect(try await f.service.requestWithdrawal(slug: Self.slug, email: "a@example.org")?.kind == .notSigned)
        let mail = try await f.service.sign(slug: Self.slug, email: "a@example.org", region: "California")
        _ = try await f.service.confirm(token: f.token(mail))
        let withdrawal = try await f.service.requestWithdrawal(slug: Self.slug, email: "A@Example.org")
        #expect(try await f.service.withdraw(token: f.token(withdrawal)) == .withdrawn)
        #expect(try await f.service.withdraw(token: f.token(withdrawal)) == .alreadyWithdrawn)
        #expect(try await f.store.aggregates(Self.slug) == Aggregates())
    }

    @Test("a paused petition refuses new signatures")
    func paused() async throws {
        let f = try await Fixture()
        try await f.store.setState(.paused, of: Self.slug, at: f.clock.now)
        await #expect(throws: SigningError.petitionNotOpen()) { try await f.service.sign(slug: Self.slug, email: "a@example.org", region: nil) }
    }

    @Test("the operator's kill switch refuses new signatures on every petition but still confirms")
    func killSwitch() async throws {
        let f = try await Fixture()
        let mail = try await f.service.sign(slug: Self.slug, email: "a@example.org", region: nil)
        let paused = try SigningService(store: f.store, keyring: f.keyring, collectionPaused: true, now: { f.clock.now })
        await #expect(throws: SigningError.petitionNotOpen()) { try await paused.sign(slug: Self.slug, email: "b@example.org", region: nil) }
        #expect(try await paused.confirm(token: f.token(mail)).outcome.counted)
    }

    @Test("an outgoing mail's description and dump never show the address")
    func mailRedacted() async throws {
        let f = try await Fixture()
        let mail = try #require(try await f.service.sign(slug: Self.slug, email: "secret.person@example.org", region: nil))
        var dumped = ""
        dump(mail, to: &dumped)
        #expect(!"\(mail)".contains("secret"))
        #expect(!dumped.contains("secret"))
    }
}

@Suite("Petition key check")
struct PetitionKeyCheckTests {
    @Test("a keyring that cannot open a stored petition key is refused at start, naming the petition")
    func wrongKeyring() async throws {
        let fixture = try await SigningServiceTests.Fixture()
        try await fixture.service.checkPetitionKeys()
        let stranger = try SigningService(store: fixture.store, keyring: Keyring.generate(now: Date()))
        do {
            try await stranger.checkPetitionKeys()
            Issue.record("a foreign keyring opened the petition keys")
        } catch {
            #expect(error.description.contains(SigningServiceTests.slug.value))
        }
    }
}
