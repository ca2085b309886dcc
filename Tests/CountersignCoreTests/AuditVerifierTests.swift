import CountersignCore
import CountersignCrypto
import Foundation
import Testing

@Suite("Audit verifier: offline checks of a log, its checkpoints and its keys")
struct AuditVerifierTests {
    static let origin = "petitions.example.org/audit"
    static let today = day("2026-12-01")
    static let checkNames = [
        "checkpoint-format", "checkpoint-signature", "witness-cosignatures", "checkpoint-age", "entries-root", "entries-format",
        "no-backdating", "consistency", "cryptoperiods", "destroy-order", "shred-complete",
    ]

    static func day(_ text: String) -> Date { UTCDay.date(text)! }

    /// A log under construction, with the real keys of its keyring.
    struct LogBuilder {
        var keyring: Keyring
        var entries: [String] = []
        /// Every log key so far, oldest first.
        var logKeys: [KeyEntry] = []

        /// A new keyring on `created`, logged as three `key-created` entries.
        init(created: String) throws {
            let date = day(created)
            keyring = try Keyring.generate(now: date)
            for purpose in KeyPurpose.allCases {
                let key = try keyring.primary(purpose)
                append(.key(key, verifier: purpose == .log ? try verifier(key).encoded : nil, date: date))
            }
            logKeys = [try keyring.primary(.log)]
        }

        mutating func append(_ event: AuditEvent) { entries.append(event.text) }

        func signer(_ key: KeyEntry) throws -> Ed25519PrivateKey { try Ed25519PrivateKey(seed: try #require(key.material)) }

        func verifier(_ key: KeyEntry) throws -> SignedNote.Verifier {
            SignedNote.Verifier(name: origin, publicKey: try signer(key).publicKey)
        }

        /// Rotates `purpose`; a log-key rotation is endorsed by both keys, or by `forgedOld` in place of the old key.
        @discardableResult
        mutating func rotate(_ purpose: KeyPurpose, on text: String, forgedOld: Ed25519PrivateKey? = nil) throws -> (old: KeyEntry, new: KeyEntry) {
            let date = day(text)
            let old = try keyring.primary(purpose)
            let new = try keyring.rotate(purpose, now: date)
            guard purpose == .log else {
                append(.key(new, previous: old, date: date))
                return (old, new)
            }
            let oldVerifier = try verifier(old).encoded
            let newVerifier = try verifier(new).encoded
            let statement = AuditEvent.logRotationStatement(origin: origin, index: entries.count, old: oldVerifier, new: newVerifier)
            let endorsement = (old: try (forgedOld ?? signer(old)).signature(for: statement), new: try signer(new).signature(for: statement))
            append(.key(new, previous: old, verifier: newVerifier, endorsement: endorsement, date: date))
            logKeys.append(new)
            return (old, new)
        }

        func tree() throws -> MerkleTree { try MerkleTree(entries: entries.map { Array($0.utf8) }) }

        func checkpoint(size: Int? = nil) throws -> Checkpoint {
            let tree = try tree()
            return Checkpoint(origin: origin, size: size ?? tree.size, rootHash: try tree.root(size: size))
        }

        /// The current checkpoint as a signed note, by `keys` (every log key by default).
        func note(signedBy keys: [KeyEntry]? = nil) throws -> String {
            try SignedNote.sign(checkpoint().text, name: origin, keys: (keys ?? logKeys).map(signer)).encoded
        }
    }

    /// Petition events, the three keys created, a master rotation with its re-wrap then destruction, a token rotation
    /// with its key destroyed three days later, and a log-key rotation endorsed by both keys: 13 entries.
    static func honest() throws -> (log: LogBuilder, master: KeyEntry, token: KeyEntry) {
        var log = try LogBuilder(created: "2026-11-01")
        let cleanAir = try PetitionSlug("clean-air")
        log.append(.petition(cleanAir, state: .open, date: day("2026-11-02")))
        log.append(.petition(try PetitionSlug("quiet-streets"), state: .open, date: day("2026-11-03")))
        let master = try log.rotate(.master, on: "2026-11-10")
        log.append(.masterRewrapped(previous: master.old, current: master.new, petitions: 2, date: day("2026-11-10")))
        log.append(.keyDestroyed(master.old, date: day("2026-11-12")))
        let token = try log.rotate(.token, on: "2026-11-15")
        log.append(.keyDestroyed(token.old, date: day("2026-11-18")))
        try log.rotate(.log, on: "2026-11-20")
        log.append(.petition(cleanAir, state: .paused, date: day("2026-11-22")))
        log.append(.petition(cleanAir, state: .closed, date: day("2026-11-25")))
        return (log, master.new, token.new)
    }

    static func verify(
        _ log: LogBuilder, note: String? = nil, entries: [String]? = nil, trusting key: KeyEntry? = nil, today: Date = today,
        previous: Checkpoint? = nil, proof: [[UInt8]]? = nil
    ) throws -> AuditReport {
        let verifier = AuditVerifier(trusted: try log.verifier(key ?? log.logKeys[0]), policy: AuditPolicy(today: today))
        return verifier.verify(checkpoint: try note ?? log.note(), entries: entries ?? log.entries, previous: previous, consistencyProof: proof)
    }

    static func failed(_ report: AuditReport) -> [String] {
        report.checks.filter { !$0.passed }.map(\.name)
    }

    static func evidence(_ report: AuditReport, _ name: String) -> String {
        report.check(name)?.evidence ?? "no check \(name)"
    }

    @Test("an honest log with key rotations and a checkpoint signed by both log keys passes every check")
    func honestLog() throws {
        let (log, _, _) = try Self.honest()
        #expect(log.entries.count == 13)
        let report = try Self.verify(log)
        #expect(report.checks.map(\.name) == Self.checkNames)
        #expect(report.passed, "\(report.text)")
        #expect(report.text.hasSuffix("RESULT: PASS\n"))
        #expect(Self.evidence(report, "consistency").contains("no earlier checkpoint"))

        let tree = try log.tree()
        let proof = try #require(try tree.consistencyProof(oldSize: 8, newSize: 13))
        let again = try Self.verify(log, previous: try log.checkpoint(size: 8), proof: proof)
        #expect(again.passed, "\(again.text)")
    }

    @Test("a flipped byte in one entry fails entries-root, and the previous checkpoint tells before from after")
    func flippedByte() throws {
        let (log, _, _) = try Self.honest()
        let proof = try #require(try log.tree().consistencyProof(oldSize: 8, newSize: 13))
        for (index, located) in [(3, "no longer match"), (11, "still match")] {
            var entries = log.entries
            var bytes = Array(entries[index].utf8)
            bytes[22] ^= 0x01
            entries[index] = String(decoding: bytes, as: UTF8.self)
            let report = try Self.verify(log, entries: entries, previous: try log.checkpoint(size: 8), proof: proof)
            #expect(!report.passed)
            #expect(report.check("entries-root")?.passed == false)
            #expect(Self.evidence(report, "entries-root").contains(located))
        }
    }

    @Test("a dropped entry fails entries-root, naming both counts")
    func droppedEntry() throws {
        let (log, _, _) = try Self.honest()
        var entries = log.entries
        // After the log-key rotation (entry 10): dropping an earlier entry also moves the rotation off the index it signed.
        entries.remove(at: 12)
        let report = try Self.verify(log, entries: entries)
        #expect(Self.failed(report) == ["entries-root"])
        #expect(Self.evidence(report, "entries-root").contains("log holds 12 entries; the checkpoint says 13"))
    }

    @Test("two entries swapped fail entries-root and, their dates differing, entries-format at the first offending index")
    func reorderedEntries() throws {
        let (log, _, _) = try Self.honest()
        var entries = log.entries
        entries.swapAt(3, 4)
        let report = try Self.verify(log, entries: entries)
        #expect(Self.failed(report) == ["entries-root", "entries-format"])
        #expect(Self.evidence(report, "entries-format").hasPrefix("entry 4 is dated 2026-11-02, before entry 3 (2026-11-03)"))
    }

    @Test("entries dated after today or that do not parse fail entries-format")
    func entryFormat() throws {
        var log = try LogBuilder(created: "2026-11-01")
        log.append(.petition(try PetitionSlug("clean-air"), state: .open, date: Self.day("2026-12-02")))
        log.entries.append("petition-open clean-air")
        let report = try Self.verify(log)
        #expect(Self.failed(report) == ["entries-format"])
        #expect(Self.evidence(report, "entries-format").hasPrefix("entry 3 is dated 2026-12-02, after today (2026-12-01); entry 4 is not"))
    }

    @Test("a checkpoint signed by another key, with the right root, fails checkpoint-signature naming its key id")
    func forgedCheckpoint() throws {
        let (log, _, _) = try Self.honest()
        let forger = try Ed25519PrivateKey.generate()
        let note = try SignedNote.sign(log.checkpoint().text, name: Self.origin, keys: [forger]).encoded
        let report = try Self.verify(log, note: note)
        #expect(Self.failed(report) == ["checkpoint-signature"])
        let keyID = Hex.encode(try SignedNote.Verifier(name: Self.origin, publicKey: forger.publicKey).keyID)
        #expect(Self.evidence(report, "checkpoint-signature").contains("\(Self.origin)+\(keyID) (unknown key, ignored)"))
        let newest = Hex.encode(try log.verifier(log.logKeys[1]).keyID)
        #expect(Self.evidence(report, "checkpoint-signature").hasPrefix(
            "no valid signature by \(Self.origin)+\(newest), the log key since the rotation at entry 10"))
    }

    @Test("a bad signature line by a known log key fails; a witness's cosignature by an unknown key is ignored")
    func signatureLines() throws {
        let (log, _, _) = try Self.honest()
        let text = try log.checkpoint().text
        let witness = try SignedNote.sign(text, name: "witness.example.net", keys: [try Ed25519PrivateKey.generate()]).encoded
        let cosigned = try log.note() + witness.dropFirst(text.count + 1)
        let report = try Self.verify(log, note: cosigned)
        #expect(report.passed, "\(report.text)")
        #expect(Self.evidence(report, "checkpoint-signature").contains("witness.example.net+"))

        let unrelated = try LogBuilder(created: "2026-11-01").checkpoint().text
        let other = try SignedNote.sign(unrelated, name: Self.origin, keys: [try log.signer(log.logKeys[1])])
        let spliced = try log.note(signedBy: [log.logKeys[0]]) + other.encoded.dropFirst(other.text.count + 1)
        let bad = try Self.verify(log, note: spliced)
        #expect(Self.failed(bad) == ["checkpoint-signature"])
        #expect(Self.evidence(bad, "checkpoint-signature").contains("does not verify"))
    }

    @Test("a checkpoint for another origin fails checkpoint-format")
    func otherOrigin() throws {
        let (log, _, _) = try Self.honest()
        let note = try SignedNote.sign(
            Checkpoint(origin: "other.example.org/audit", size: 13, rootHash: try log.tree().root()).text, name: Self.origin,
            keys: [try log.signer(log.logKeys[0])])
        let report = try Self.verify(log, note: note.encoded)
        #expect(report.check("checkpoint-format")?.passed == false)
        #expect(Self.evidence(report, "checkpoint-format").contains("other.example.org/audit"))
        #expect(try Self.verify(log, note: "not a note").check("checkpoint-format")?.passed == false)
    }

    @Test("an earlier checkpoint of a rewritten history (a fork) fails consistency")
    func fork() throws {
        let (log, _, _) = try Self.honest()
        var fork = log
        fork.entries[3] = AuditEvent.petition(try PetitionSlug("dirty-air"), state: .open, date: Self.day("2026-11-02")).text
        let proof = try #require(try log.tree().consistencyProof(oldSize: 8, newSize: 13))
        let report = try Self.verify(log, previous: try fork.checkpoint(size: 8), proof: proof)
        #expect(Self.failed(report) == ["consistency"])
        #expect(Self.evidence(report, "consistency").contains("forked or rewrote"))

        let same = try Self.verify(log, previous: try log.checkpoint(), proof: [])
        #expect(same.passed, "\(same.text)")
        var longer = log
        longer.append(.petition(try PetitionSlug("more"), state: .open, date: Self.day("2026-11-30")))
        let truncated = try Self.verify(log, previous: try longer.checkpoint(), proof: [])
        #expect(Self.evidence(truncated, "consistency").contains("the log shrank from 14 to 13 entries"))
        let missing = try Self.verify(log, previous: try log.checkpoint(size: 8), proof: nil)
        #expect(Self.evidence(missing, "consistency").contains("no consistency proof"))
    }

    @Test("a key past its not-after day with no rotation fails cryptoperiods")
    func outlivedKey() throws {
        let (log, _, token) = try Self.honest()
        let report = try Self.verify(log, today: Self.day("2027-03-01"))
        #expect(Self.failed(report) == ["cryptoperiods"])
        let notAfter = UTCDay.of(token.notAfter)
        let expected = "token key \(token.kidHex) outlived its cryptoperiod (not after \(notAfter)) with no rotation entry"
        #expect(Self.evidence(report, "cryptoperiods") == expected)

        var late = try LogBuilder(created: "2026-01-01")
        late.append(.petition(try PetitionSlug("clean-air"), state: .open, date: Self.day("2026-01-02")))
        let rotation = try late.rotate(.token, on: "2026-11-30")
        let lateReport = try Self.verify(late)
        #expect(Self.failed(lateReport) == ["cryptoperiods"])
        #expect(Self.evidence(lateReport, "cryptoperiods").contains("token key \(rotation.old.kidHex) was replaced on 2026-11-30"))
    }

    @Test("a master key destroyed before any master-rewrapped entry fails destroy-order")
    func masterDestroyedEarly() throws {
        var log = try LogBuilder(created: "2026-11-01")
        let master = try log.rotate(.master, on: "2026-11-10")
        log.append(.keyDestroyed(master.old, date: Self.day("2026-11-11")))
        log.append(.masterRewrapped(previous: master.old, current: master.new, petitions: 0, date: Self.day("2026-11-11")))
        let report = try Self.verify(log)
        #expect(Self.failed(report) == ["destroy-order"])
        let evidence = Self.evidence(report, "destroy-order")
        #expect(evidence.contains("entry 4 destroys master key \(master.old.kidHex) before any master-rewrapped entry"))
        #expect(evidence.contains("appears again at entry 5 (master-rewrapped)"))
    }

    @Test("a token key destroyed two days after its rotation, while its tokens may still live, fails destroy-order")
    func tokenDestroyedEarly() throws {
        var log = try LogBuilder(created: "2026-11-01")
        let token = try log.rotate(.token, on: "2026-11-15")
        log.append(.keyDestroyed(token.old, date: Self.day("2026-11-17")))
        let report = try Self.verify(log)
        #expect(Self.failed(report) == ["destroy-order"])
        #expect(Self.evidence(report, "destroy-order").contains("2 days after its rotation (entry 3); tokens it signed stay valid for 2 days, so it must wait 3"))
    }

    @Test("a primary key destroyed, or a key destroyed twice, fails destroy-order")
    func destroyedOutOfTurn() throws {
        var log = try LogBuilder(created: "2026-11-01")
        log.append(.keyDestroyed(try log.keyring.primary(.token), date: Self.day("2026-11-05")))
        let primary = try Self.verify(log)
        #expect(Self.failed(primary) == ["destroy-order"])
        #expect(Self.evidence(primary, "destroy-order").contains("which no earlier entry rotated out"))

        var twice = try Self.honest().log
        let destroyed = try #require(twice.entries.first { $0.hasPrefix("type=key-destroyed purpose=token") })
        twice.entries.append(destroyed.replacingOccurrences(of: "2026-11-18", with: "2026-11-26"))
        let report = try Self.verify(twice)
        #expect(Self.failed(report) == ["destroy-order"])
        #expect(Self.evidence(report, "destroy-order").contains("appears again at entry 13 (key-destroyed)"))
    }

    @Test("a checkpoint signed only by a log key the log says was destroyed fails checkpoint-signature")
    func destroyedLogKeySignature() throws {
        var log = try LogBuilder(created: "2026-11-01")
        let rotation = try log.rotate(.log, on: "2026-11-10")
        log.append(.keyDestroyed(rotation.old, date: Self.day("2026-11-12")))
        let report = try Self.verify(log, note: try log.note(signedBy: [rotation.old]))
        #expect(Self.failed(report).contains("checkpoint-signature"))
        #expect(Self.evidence(report, "checkpoint-signature").contains("destroyed log key, not counted"))
    }

    @Test("a log-key rotation with a forged old-signature is not followed: a checkpoint by the new key alone fails")
    func forgedRotation() throws {
        var log = try LogBuilder(created: "2026-11-01")
        log.append(.petition(try PetitionSlug("clean-air"), state: .open, date: Self.day("2026-11-02")))
        try log.rotate(.log, on: "2026-11-20", forgedOld: try Ed25519PrivateKey.generate())
        let report = try Self.verify(log, note: try log.note(signedBy: [log.logKeys[1]]))
        #expect(Self.failed(report) == ["checkpoint-signature"])
        let evidence = Self.evidence(report, "checkpoint-signature")
        #expect(evidence.hasPrefix("no valid signature by a trusted key"))
        #expect(evidence.contains("entry 4: the log-key rotation"))
        #expect(evidence.contains("carries no valid old-signature; not followed"))
        #expect(evidence.contains("(a log key not linked to the trusted key)"))

        // Signed by the old key too, the checkpoint is still refused: the log holds a rotation its keys did not sign.
        let both = try Self.verify(log, note: try log.note())
        #expect(Self.failed(both) == ["checkpoint-signature"])
    }

    @Test("a second chain of log keys grafted on by whoever kept a rotated-out key fails checkpoint-signature")
    func graftedChain() throws {
        var log = try Self.honest().log
        let old = log.logKeys[0]
        let forger = try Ed25519PrivateKey.generate()
        let date = Self.day("2026-11-26")
        // The old key reintroduced under a fresh id, then "rotated" to the forger's key, endorsed by both.
        let reintroduced = try KeyEntry.generate(kid: 0x0bad_0001, purpose: .log, status: .verifyOnly, now: date, policy: .default)
        log.append(.key(reintroduced, verifier: try log.verifier(old).encoded, date: date))
        let grafted = try KeyEntry.generate(kid: 0x0bad_0002, purpose: .log, status: .primary, now: date, policy: .default)
        let forgerVerifier = try SignedNote.Verifier(name: Self.origin, publicKey: forger.publicKey).encoded
        let statement = AuditEvent.logRotationStatement(
            origin: Self.origin, index: log.entries.count, old: try log.verifier(old).encoded, new: forgerVerifier)
        log.append(.key(
            grafted, previous: reintroduced, verifier: forgerVerifier,
            endorsement: (try log.signer(old).signature(for: statement), try forger.signature(for: statement)), date: date))
        let note = try SignedNote.sign(log.checkpoint().text, name: Self.origin, keys: [forger, try log.signer(old)]).encoded
        let report = try Self.verify(log, note: note)
        #expect(report.check("checkpoint-signature")?.passed == false, "\(report.text)")
        #expect(Self.evidence(report, "checkpoint-signature").contains("outside the log's one chain of log keys"))
        #expect(Self.evidence(report, "checkpoint-signature").contains("a public key the log introduced before"))
    }

    @Test("trust follows an endorsed log-key rotation both ways, and after it only the newest key's signature counts")
    func rotatedTrust() throws {
        let (log, _, _) = try Self.honest()
        let new = log.logKeys[1]
        let old = log.logKeys[0]
        for trusted in [new, old] {
            let report = try Self.verify(log, note: try log.note(signedBy: [new]), trusting: trusted)
            #expect(report.passed, "\(report.text)")
            // The forgery a keyring backup allows: the rotated-out key alone signs a checkpoint of the log past its rotation.
            let forged = try Self.verify(log, note: try log.note(signedBy: [old]), trusting: trusted)
            #expect(Self.failed(forged) == ["checkpoint-signature"])
            #expect(Self.evidence(forged, "checkpoint-signature").contains("(rotated out, not counted)"))
        }
    }

    @Test("a rotation statement moved to another index of the log is not followed")
    func rotationStatementIsBound() throws {
        let (log, _, _) = try Self.honest()
        let rotation = try #require(log.entries.firstIndex { $0.contains("type=key-rotated purpose=log") })
        // The same endorsed rotation entry, one place later (an entry of the forger's inserted before it).
        var moved = log
        moved.entries.insert(log.entries[rotation - 1], at: rotation)
        let report = try Self.verify(moved, note: try moved.note(signedBy: [log.logKeys[1]]))
        #expect(Self.evidence(report, "checkpoint-signature").contains("carries no valid old-signature; not followed"))
    }

    @Test("the report's text has one line per check and a result line")
    func reportText() throws {
        let (log, _, _) = try Self.honest()
        var entries = log.entries
        entries.remove(at: 12)
        let report = try Self.verify(log, entries: entries, today: Self.day("2027-03-01"))
        let lines = report.text.split(separator: "\n")
        #expect(lines.count == Self.checkNames.count + 1)
        #expect(lines[0].hasPrefix("PASS checkpoint-format: origin \(Self.origin), size 13, root "))
        #expect(lines[4] == "FAIL entries-root: log holds 12 entries; the checkpoint says 13")
        #expect(lines.last == "RESULT: FAIL (2 checks failed)")
        #expect(AuditReport(checks: [.init(name: "x", passed: false, evidence: "y")]).text == "FAIL x: y\nRESULT: FAIL (1 check failed)\n")
        #expect(AuditReport(checks: [.init(name: "x", passed: true, pending: true, evidence: "y")]).text == "PENDING x: y\nRESULT: PASS\n")
    }

    @Test("shred-complete: a shred followed by the destroy of every earlier master passes; unfinished it is PENDING for 7 days, then FAIL")
    func shredComplete() throws {
        var log = try LogBuilder(created: "2026-11-01")
        let slug = try PetitionSlug("clean-air")
        log.append(.petition(slug, state: .open, date: Self.day("2026-11-02")))
        log.append(.petition(slug, state: .closed, date: Self.day("2026-11-03")))
        log.append(.petitionShredded(slug, date: Self.day("2026-11-04")))
        let (old, _) = try log.rotate(.master, on: "2026-11-04")
        let unfinished = try log.note()
        let unfinishedLog = log
        for (today, result) in [("2026-11-10", "PENDING"), ("2026-11-11", "FAIL")] {
            let report = try Self.verify(unfinishedLog, note: unfinished, today: Self.day(today))
            let line = try #require(report.text.split(separator: "\n").first { $0.contains("shred-complete") })
            #expect(line.hasPrefix("\(result) shred-complete: clean-air (entry 5, 2026-11-04): master key(s) \(old.kidHex) not destroyed"))
            #expect(report.passed == (result == "PENDING"))
        }
        log.append(.keyDestroyed(try #require(log.keyring.key(kid: old.kid)), date: Self.day("2026-11-05")))
        let report = try Self.verify(log, today: Self.day("2026-12-01"))
        #expect(report.check("shred-complete")?.passed == true && report.check("shred-complete")?.pending == false)
        #expect(Self.evidence(report, "shred-complete") == "clean-air (entry 5, 2026-11-04): master key(s) \(old.kidHex) destroyed")
    }
}
