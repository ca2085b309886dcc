import CountersignCore
import CountersignCrypto
import Foundation
import Synchronization
import Testing

@Suite("Key lifecycle: rotation, re-wrap, destroy, re-key, shred, and their audit entries")
struct KeyLifecycleTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let origin = "petitions.example.org/audit"
    static let slug = try! PetitionSlug("amazon-cut-ties-with-police-and-ice")

    /// A keyring file in a fresh private folder.
    static func keyringFile() throws -> KeyringFile {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("countersign-keys-\(UUID().uuidString)").path
        let file = KeyringFile(directory: folder)
        _ = try file.initialize(now: now)
        return file
    }

    static func provision(_ count: Int, into store: any SignatureStore, keyring: Keyring) async throws -> [PetitionSlug] {
        let definitions = try (0..<count).map { n in
            PetitionDefinition(slug: try PetitionSlug(n == 0 ? slug.value : "petition-\(n)"), title: "Petition \(n)", text: "Text", regions: [])
        }
        return try await PetitionProvisioning.provision(PetitionCatalog(petitions: definitions), into: store, keyring: keyring, now: now)
    }

    static func events(_ store: any SignatureStore) async throws -> [AuditEvent] {
        try await store.auditEntries(0..<store.auditEntryCount()).compactMap(AuditEvent.init(text:))
    }

    @Test("key events are logged once per key; a log-key rotation carries the new verifier and both keys' valid signatures")
    func keyEvents() async throws {
        let store = InMemorySignatureStore()
        let log = AuditLog(store: store, origin: Self.origin)
        var keyring = try Keyring.generate(now: Self.now)
        #expect(try await KeyEvents.record(keyring, in: log, now: Self.now).map(\.type) == ["key-created", "key-created", "key-created"])
        #expect(try await KeyEvents.record(keyring, in: log, now: Self.now).isEmpty)
        let old = try keyring.primary(.log)
        let new = try keyring.rotate(.log, now: Self.now)
        let appended = try await KeyEvents.record(keyring, in: log, now: Self.now)
        let rotation = try #require(appended.first)
        #expect(appended.count == 1)
        #expect(rotation.type == "key-rotated" && rotation["purpose"] == "log")
        #expect(rotation["kid"] == new.kidHex && rotation["previous"] == old.kidHex)
        let oldText = try #require(try KeyEvents.verifier(of: old, origin: Self.origin))
        let newText = try #require(rotation["verifier"])
        let oldVerifier = try SignedNote.Verifier(encoded: oldText)
        let newVerifier = try SignedNote.Verifier(encoded: newText)
        let index = try await log.store.auditEntryCount() - 1
        let statement = AuditEvent.logRotationStatement(origin: Self.origin, index: index, old: oldText, new: newText)
        let oldSignature = try #require(Data(base64Encoded: rotation["old-signature"] ?? ""))
        let newSignature = try #require(Data(base64Encoded: rotation["new-signature"] ?? ""))
        #expect(oldVerifier.publicKey.isValidSignature(Array(oldSignature), for: statement))
        #expect(newVerifier.publicKey.isValidSignature(Array(newSignature), for: statement))
        #expect(!oldVerifier.publicKey.isValidSignature(Array(newSignature), for: statement))
        // Checkpoints are now signed by both keys, the new one first.
        let checkpoint = try await log.checkpoint(signedBy: AuditLog.signingKeys(keyring))
        #expect(checkpoint.signatures.count == 2)
        #expect(checkpoint.verified(by: oldVerifier) && checkpoint.verified(by: newVerifier))
        // The log keeps its name: a command given another public URL is refused, a server keeps the recorded name.
        await #expect(throws: LogNamingError(.mismatch, reason: "")) { try await LogNaming.command(publicURL: "https://other.example").log(over: store) }
        #expect(try await LogNaming.serve(publicURL: "https://other.example").log(over: store).origin == Self.origin)
        #expect(try await LogNaming.command(publicURL: "https://petitions.example.org").log(over: store).origin == Self.origin)
        #expect(try await LogNaming.command(publicURL: nil).log(over: store).origin == Self.origin)
        await #expect(throws: LogNamingError(.unnamed, reason: "")) { try await LogNaming.command(publicURL: nil).log(over: InMemorySignatureStore()) }
        // No entry holds key material.
        let materials = keyring.keys.compactMap(\.material).map(\.hexEncoded)
        for entry in try await store.auditEntries(0..<store.auditEntryCount()) {
            #expect(!materials.contains { entry.contains($0) })
        }
    }

    @Test("a master rotation re-wraps 10,000 petition keys in batches with progress, logs it, and the old master can then be destroyed")
    func masterRotation() async throws {
        let store = InMemorySignatureStore()
        let file = try Self.keyringFile()
        let log = AuditLog(store: store, origin: Self.origin)
        let slugs = try await Self.provision(10_000, into: store, keyring: try file.load())
        #expect(slugs.count == 10_000)
        let old = try file.load().primary(.master)
        // While petition keys are wrapped under it, the old master cannot be destroyed.
        await #expect(throws: KeyringError.self) {
            try await KeyDestruction.destroy(kid: old.kid, file: file, log: log, tokenLifetime: .seconds(172_800), now: Self.now)
        }
        let new = try file.update { keyring throws(KeyringError) in try keyring.rotate(.master, now: Self.now) }
        let keyring = try file.load()
        await #expect(throws: KeyringError.self) {
            try await KeyDestruction.destroy(kid: old.kid, file: file, log: log, tokenLifetime: .seconds(172_800), now: Self.now)
        }
        let steps = ProgressSteps()
        #expect(try await MasterRewrap.run(keyring: keyring, log: log, batchSize: 500, now: Self.now) { done, total in steps.add(done, total) } == 10_000)
        #expect(steps.values.first == ProgressSteps.Step(done: 0, total: 10_000))
        #expect(steps.values.last == ProgressSteps.Step(done: 10_000, total: 10_000))
        #expect(steps.values.count == 21)
        for petition in try await store.petitions() {
            #expect(petition.wrappedKey?.kid == new.kid)
        }
        // The re-wrapped key is the same petition key.
        let petition = try #require(try await store.petition(Self.slug))
        #expect(try petition.wrappedKey?.unwrap(slug: Self.slug, keyring: keyring).count == 32)
        #expect(try await MasterRewrap.run(keyring: keyring, log: log, now: Self.now) == 0)
        let destroyed = try await KeyDestruction.destroy(kid: old.kid, file: file, log: log, tokenLifetime: .seconds(172_800), now: Self.now)
        #expect(destroyed.status == .destroyed && destroyed.material == nil)
        let types = try await Self.events(store).map(\.type)
        let rewrapped = try #require(types.firstIndex(of: "master-rewrapped"))
        let destroyedAt = try #require(types.firstIndex(of: "key-destroyed"))
        #expect(rewrapped < destroyedAt)
        #expect(try await Self.events(store)[rewrapped]["petitions"] == "10000")
    }

    @Test("a master key that never wrapped a petition key is logged as re-wrapped with petitions=0, so it may be destroyed")
    func rewrapLogsIdleMasters() async throws {
        let store = InMemorySignatureStore()
        let file = try Self.keyringFile()
        let log = AuditLog(store: store, origin: Self.origin)
        _ = try await Self.provision(3, into: store, keyring: try file.load())
        let first = try file.load().primary(.master)
        // Two rotations before any re-wrap: the middle key never wraps anything.
        let middle = try file.update { keyring throws(KeyringError) in try keyring.rotate(.master, now: Self.now) }
        try file.update { keyring throws(KeyringError) in _ = try keyring.rotate(.master, now: Self.now) }
        #expect(try await MasterRewrap.run(keyring: try file.load(), log: log, now: Self.now) == 3)
        let rewraps = try await Self.events(store).filter { $0.type == "master-rewrapped" }
        #expect(Set(rewraps.map { "\($0["previous"] ?? "")=\($0["petitions"] ?? "")" }) == ["\(first.kidHex)=3", "\(middle.kidHex)=0"])
        // Running again logs nothing new.
        #expect(try await MasterRewrap.run(keyring: try file.load(), log: log, now: Self.now) == 0)
        #expect(try await Self.events(store).filter { $0.type == "master-rewrapped" }.count == 2)
        try await KeyDestruction.destroy(kid: middle.kid, file: file, log: log, tokenLifetime: .seconds(172_800), now: Self.now)
    }

    @Test("a token key is destroyed only once every token it signed has expired")
    func tokenKeyDestroy() async throws {
        let store = InMemorySignatureStore()
        let file = try Self.keyringFile()
        let log = AuditLog(store: store, origin: Self.origin)
        let old = try file.load().primary(.token)
        try file.update { keyring throws(KeyringError) in _ = try keyring.rotate(.token, now: Self.now) }
        let rotated = try #require(try file.load().successor(of: old)).created
        // Safe from the later of: the lifetime plus the server's poll margin, and the start of the UTC day
        // lifetime-in-days + 1 after the rotation day (what an auditor can check from day-dated entries).
        let exact = rotated.addingTimeInterval(172_800 + KeyDestruction.serverPollMargin)
        let dayRule = Date(timeIntervalSince1970: (rotated.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400 + 3 * 86_400)
        let safe = max(exact, dayRule)
        await #expect(throws: KeyringError.self) {
            try await KeyDestruction.destroy(kid: old.kid, file: file, log: log, tokenLifetime: .seconds(172_800), now: safe.addingTimeInterval(-1))
        }
        try await KeyDestruction.destroy(kid: old.kid, file: file, log: log, tokenLifetime: .seconds(172_800), now: safe)
        #expect(try file.load().key(kid: old.kid)?.status == .destroyed)
        #expect(try await Self.events(store).contains { $0.type == "key-destroyed" && $0["kid"] == old.kidHex })
        // The primary cannot be destroyed.
        let primary = try file.load().primary(.token)
        await #expect(throws: KeyringError.self) {
            try await KeyDestruction.destroy(kid: primary.kid, file: file, log: log, tokenLifetime: .zero, now: Self.now)
        }
    }

    @Test("after a token-key rotation, links mailed under the old key still confirm and new links use the new key")
    func tokenRotationKeepsLinks() async throws {
        let store = InMemorySignatureStore()
        var keyring = try Keyring.generate(now: Self.now)
        _ = try await Self.provision(1, into: store, keyring: keyring)
        let service = try SigningService(store: store, keyring: keyring)
        let old = try keyring.primary(.token)
        let before = try await service.sign(slug: Self.slug, email: "early@example.org", region: nil)
        let new = try keyring.rotate(.token, now: Self.now)
        try service.useKeyring(keyring)
        guard case .confirm(let early) = try #require(before).kind else { throw CancellationError() }
        #expect(try await service.confirm(token: early).outcome.counted)
        let after = try await service.sign(slug: Self.slug, email: "late@example.org", region: nil)
        guard case .confirm(let late) = try #require(after).kind else { throw CancellationError() }
        let kid = { (text: String) throws -> UInt32 in try Base64URL.decode(text)[2..<6].reduce(0) { $0 << 8 | UInt32($1) } }
        #expect(try kid(early) == old.kid && kid(late) == new.kid)
        #expect(try await service.confirm(token: late).outcome.counted)
    }

    @Test("re-keying keeps duplicates caught: a signer confirmed before the re-key is already signed after it")
    func rekeyKeepsSigners() async throws {
        let store = InMemorySignatureStore()
        let keyring = try Keyring.generate(now: Self.now)
        _ = try await Self.provision(1, into: store, keyring: keyring)
        let service = try SigningService(store: store, keyring: keyring)
        func token(_ mail: OutgoingMail?) throws -> String {
            guard case .confirm(let token) = try #require(mail).kind else { throw CancellationError() }
            return token
        }
        let first = try await service.sign(slug: Self.slug, email: "jane@example.org", region: nil)
        #expect(try await service.confirm(token: token(first)).outcome.counted)
        let log = AuditLog(store: store, origin: Self.origin)
        // The signature; its used confirmation kept no pseudonym.
        #expect(try await PetitionRekey.run(Self.slug, keyring: keyring, log: log, now: Self.now) == 1)
        #expect(try await store.petition(Self.slug)?.keyLayers.count == 1)
        let again = try await service.sign(slug: Self.slug, email: "Jane@Example.org", region: nil)
        guard case .alreadySigned = try #require(again).kind else { Issue.record("a re-keyed signer signed twice"); return }
        let other = try await service.sign(slug: Self.slug, email: "joe@example.org", region: nil)
        #expect(try await service.confirm(token: token(other)).outcome.counted)
        #expect(try await store.aggregates(Self.slug).total == 2)
        #expect(try await Self.events(store).last?.text.hasPrefix("type=petition-rekeyed slug=\(Self.slug) layers=1") == true)
    }

    @Test("shredding waits for close and the retention period, then drops pseudonyms, keeps the count, and is logged")
    func shredding() async throws {
        let store = InMemorySignatureStore()
        let file = try Self.keyringFile()
        let before = try file.load()
        let slugs = try await Self.provision(2, into: store, keyring: before)
        let log = AuditLog(store: store, origin: Self.origin)
        try await KeyEvents.record(before, in: log, now: Self.now)
        await #expect(throws: StoreError(.invalidTransition, "")) { try await PetitionShredding.run(Self.slug, keys: file, log: log, now: Self.now) }
        try await store.setState(.closed, of: Self.slug, at: Self.now)
        let early = Self.now.addingTimeInterval(PetitionShredding.defaultRetention - 1)
        await #expect(throws: StoreError(.invalidTransition, "")) { try await PetitionShredding.run(Self.slug, keys: file, log: log, now: early) }
        let due = Self.now.addingTimeInterval(PetitionShredding.defaultRetention)
        let outcome = try await PetitionShredding.run(Self.slug, keys: file, log: log, now: due)
        #expect(try await store.petition(Self.slug)?.wrappedKey == nil)

        // The master rotated, the other petition moved to it, and the master that wrapped the shredded key is destroyed.
        let oldMaster = try before.primary(.master)
        let after = try file.load()
        #expect(try after.primary(.master).kid != oldMaster.kid)
        #expect(after.key(kid: oldMaster.kid)?.status == .destroyed && after.key(kid: oldMaster.kid)?.material == nil)
        #expect(outcome.destroyed.map(\.kid) == [oldMaster.kid] && outcome.deferred.isEmpty && outcome.rewrapped == 1)
        let other = try #require(try await store.petition(slugs[1]))
        #expect(try other.wrappedKey?.unwrap(slug: slugs[1], keyring: after) != nil)
        let types = try await Self.events(store).suffix(4).map { "\($0.type) \($0["purpose"] ?? "")" }
        #expect(types == ["petition-shredded ", "key-rotated master", "master-rewrapped ", "key-destroyed master"])
        #expect(ShredObligation.all(in: try await Self.events(store)).map(\.outstanding) == [[]])
        // Running it again changes nothing.
        try await PetitionShredding.run(Self.slug, keys: file, log: log, now: due)
        #expect(try file.load() == after)
    }

    @Test("another instance's keyring copy destroys what the log says was destroyed")
    func copiesFollowTheLog() async throws {
        let store = InMemorySignatureStore()
        let file = try Self.keyringFile()
        let before = try file.load()
        _ = try await Self.provision(1, into: store, keyring: before)
        let log = AuditLog(store: store, origin: Self.origin)
        try await store.setState(.closed, of: Self.slug, at: Self.now)
        try await PetitionShredding.run(Self.slug, retention: 0, keys: file, log: log, deferDestroy: true, now: Self.now)
        // A second instance's copy of the new keyring, as the runbook has the operator make before the destroy.
        let copy = try Self.keyringFile()
        let rotated = try file.load()
        try copy.update { keyring throws(KeyringError) in keyring = rotated }
        try await PetitionShredding.destroyOutstanding(file: file, log: log, now: Self.now)
        let oldMaster = try before.primary(.master)
        #expect(try copy.load().key(kid: oldMaster.kid)?.material != nil)
        let destroyed = try await KeyDestruction.followLog(file: copy, keyring: copy.load(), log: log)
        #expect(destroyed.map(\.kid) == [oldMaster.kid])
        #expect(try copy.load().key(kid: oldMaster.kid)?.material == nil)
        #expect(try await KeyDestruction.followLog(file: copy, keyring: copy.load(), log: log).isEmpty)
    }

    @Test("with --defer-destroy the old master stays until serve's maintenance destroys it, which the shred obligation tracks")
    func deferredShred() async throws {
        let store = InMemorySignatureStore()
        let file = try Self.keyringFile()
        let before = try file.load()
        _ = try await Self.provision(1, into: store, keyring: before)
        let log = AuditLog(store: store, origin: Self.origin)
        try await store.setState(.closed, of: Self.slug, at: Self.now)
        let outcome = try await PetitionShredding.run(Self.slug, retention: 0, keys: file, log: log, deferDestroy: true, now: Self.now)
        let oldMaster = try before.primary(.master)
        #expect(outcome.destroyed.isEmpty && outcome.deferred == [oldMaster.kidHex])
        #expect(try file.load().key(kid: oldMaster.kid)?.material != nil)
        #expect(try await PetitionShredding.destroyOutstanding(file: file, log: log, now: Self.now).map(\.kid) == [oldMaster.kid])
        #expect(ShredObligation.all(in: try await Self.events(store)).map(\.outstanding) == [[]])
    }
}

/// Collects progress callbacks from a `@Sendable` closure.
final class ProgressSteps: Sendable {
    struct Step: Equatable, Sendable {
        let done: Int
        let total: Int
    }

    private let steps = Mutex<[Step]>([])
    func add(_ done: Int, _ total: Int) { steps.withLock { $0.append(Step(done: done, total: total)) } }
    var values: [Step] { steps.withLock { $0 } }
}
