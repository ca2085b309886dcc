import CountersignCore
import CountersignCrypto
import Foundation
import Testing

@Suite("Audit with witnesses: cosignatures required, the checkpoint's age, and back-dated entries")
struct WitnessAuditTests {
    typealias Builder = AuditVerifierTests.LogBuilder
    static let today = AuditVerifierTests.today
    static let hour: TimeInterval = 3_600

    static func witness(_ name: String) throws -> WitnessSigner {
        try WitnessSigner(name: name, key: Ed25519PrivateKey.generate())
    }

    /// The honest log's checkpoint, cosigned by `witnesses` at `time`.
    static func cosigned(_ log: Builder, by witnesses: [WitnessSigner], at time: Date) throws -> String {
        let note = try SignedNote(encoded: try log.note())
        return try note.adding(witnesses.map { try $0.cosign(note.text, at: time).line }).encoded
    }

    static func verify(_ log: Builder, note: String, policy: AuditPolicy) throws -> AuditReport {
        AuditVerifier(trusted: try log.verifier(log.logKeys[0]), policy: policy)
            .verify(checkpoint: note, entries: log.entries, previous: nil, consistencyProof: nil)
    }

    @Test("two fresh cosignatures pass; the checkpoint's time is the newest, and the note still passes every other check")
    func freshCosignaturesPass() throws {
        let (log, _, _) = try AuditVerifierTests.honest()
        let (a, b) = (try Self.witness("witness-a.example/w1"), try Self.witness("witness-b.example/w1"))
        let note = try Self.cosigned(log, by: [a, b], at: Self.today.addingTimeInterval(-2 * Self.hour))
        let report = try Self.verify(log, note: note, policy: AuditPolicy(today: Self.today, witnesses: [a.verifier, b.verifier]))
        #expect(report.passed, "\(report.text)")
        #expect(AuditVerifierTests.evidence(report, "witness-cosignatures").hasPrefix("2 of 2 witnesses cosigned (required 2)"))
        #expect(AuditVerifierTests.evidence(report, "checkpoint-age").contains("2h ago"))
    }

    @Test("missing cosignatures fail --witnesses-required, which defaults to the number of --witness given")
    func missingCosignaturesFail() throws {
        let (log, _, _) = try AuditVerifierTests.honest()
        let (a, b) = (try Self.witness("witness-a.example/w1"), try Self.witness("witness-b.example/w1"))
        let note = try Self.cosigned(log, by: [a], at: Self.today)
        let both = try Self.verify(log, note: note, policy: AuditPolicy(today: Self.today, witnesses: [a.verifier, b.verifier]))
        // Its time needs two witnesses too: one cosignature cannot date a checkpoint two are required for.
        #expect(AuditVerifierTests.failed(both) == ["witness-cosignatures", "checkpoint-age"], "\(both.text)")
        #expect(AuditVerifierTests.evidence(both, "witness-cosignatures").contains("no cosignature by witness-b.example/w1+"))
        let one = try Self.verify(log, note: note, policy: AuditPolicy(today: Self.today, witnesses: [a.verifier, b.verifier], witnessesRequired: 1))
        #expect(one.passed, "\(one.text)")
        // The log's signature alone, with a witness required: FAIL on both witness checks.
        let bare = try Self.verify(log, note: try log.note(), policy: AuditPolicy(today: Self.today, witnesses: [a.verifier]))
        #expect(AuditVerifierTests.failed(bare) == ["witness-cosignatures", "checkpoint-age"], "\(bare.text)")
        // Without --witness nothing is required and the checkpoint carries no time.
        let none = try Self.verify(log, note: try log.note(), policy: AuditPolicy(today: Self.today))
        #expect(none.passed, "\(none.text)")
        #expect(AuditVerifierTests.evidence(none, "checkpoint-age").contains("no --witness given"))
    }

    @Test("a stale checkpoint, cosigned longer ago than --max-age (1 day by default), fails checkpoint-age")
    func staleCheckpointFails() throws {
        let (log, _, _) = try AuditVerifierTests.honest()
        let a = try Self.witness("witness-a.example/w1")
        let note = try Self.cosigned(log, by: [a], at: Self.today.addingTimeInterval(-25 * Self.hour))
        let stale = try Self.verify(log, note: note, policy: AuditPolicy(today: Self.today, witnesses: [a.verifier]))
        #expect(AuditVerifierTests.failed(stale) == ["checkpoint-age"], "\(stale.text)")
        #expect(AuditVerifierTests.evidence(stale, "checkpoint-age").contains("1d 1h ago, more than --max-age 1d"))
        let lenient = try Self.verify(log, note: note, policy: AuditPolicy(today: Self.today, witnesses: [a.verifier], maxAge: .seconds(2 * 86_400)))
        #expect(lenient.passed, "\(lenient.text)")
        #expect(AuditPolicy.age(parsing: "12h") == .seconds(43_200) && AuditPolicy.age(parsing: "90") == .seconds(90))
        #expect(AuditPolicy.age(parsing: "1w") == nil && AuditPolicy.age(parsing: "-1d") == nil)
    }

    @Test("a cosignature of another checkpoint (a split view), or dated in the future, is not counted")
    func forgedOrFutureCosignatures() throws {
        let (log, _, _) = try AuditVerifierTests.honest()
        let a = try Self.witness("witness-a.example/w1")
        let note = try SignedNote(encoded: try log.note())
        // The witness cosigned the other view of the log; its line is moved onto this one.
        let otherView = note.text.replacingOccurrences(of: "\n13\n", with: "\n14\n")
        let moved = note.adding([try a.cosign(otherView, at: Self.today).line]).encoded
        let report = try Self.verify(log, note: moved, policy: AuditPolicy(today: Self.today, witnesses: [a.verifier]))
        #expect(AuditVerifierTests.evidence(report, "witness-cosignatures").contains("does not verify"))
        #expect(!report.passed)
        let future = try Self.cosigned(log, by: [a], at: Self.today.addingTimeInterval(Self.hour))
        let ahead = try Self.verify(log, note: future, policy: AuditPolicy(today: Self.today, witnesses: [a.verifier]))
        #expect(AuditVerifierTests.failed(ahead) == ["witness-cosignatures", "checkpoint-age"], "\(ahead.text)")
    }

    /// The first `size` entries of `log` with their checkpoint, as the log served them then (before its log-key rotation).
    static func snapshot(_ log: Builder, size: Int) throws -> AuditSnapshot {
        let key = try log.signer(log.logKeys[0])
        let note = try SignedNote.sign(try log.checkpoint(size: size).text, name: AuditVerifierTests.origin, keys: size > 10 ? try log.logKeys.map(log.signer) : [key])
        return AuditSnapshot(checkpoint: note.encoded, entries: Array(log.entries.prefix(size)))
    }

    @Test("the state saves to a bare file name, in the current folder (--state st.json)")
    func stateInCurrentFolder() throws {
        let (log, _, _) = try AuditVerifierTests.honest()
        let key = try log.verifier(log.logKeys[0]).encoded
        let name = "audit-state-\(UUID().uuidString).json"
        defer { try? FileManager.default.removeItem(atPath: name) }
        let report = try AuditRun(key: key, statePath: name).verify(
            try Self.snapshot(log, size: 10), consistencyProof: nil, policy: AuditPolicy(today: Self.today))
        #expect(report.passed, "\(report.text)")
        #expect(try AuditState.load(name)?.previous().size == 10)
    }

    @Test("back-dating: an entry that appears after an audit, dated before it, fails no-backdating; the state records each audit")
    func backdating() throws {
        let (log, _, _) = try AuditVerifierTests.honest()
        let key = try log.verifier(log.logKeys[0]).encoded
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("backdating-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        // Entry 10 (the log-key rotation) is dated 2026-11-20. An audit at noon on the 21st saw 10 entries, so entry 10
        // was written after it and dated into the past; an audit at noon on the 20th could not tell.
        for (auditDay, backdated) in [("2026-11-21", true), ("2026-11-20", false)] {
            let state = folder.appendingPathComponent("state-\(auditDay)").path
            let noon = AuditVerifierTests.day(auditDay).addingTimeInterval(12 * Self.hour)
            let first = try AuditRun(key: key, statePath: state)
            let earlier = try first.verify(try Self.snapshot(log, size: 10), consistencyProof: nil, policy: AuditPolicy(today: noon))
            #expect(earlier.passed, "\(earlier.text)")
            let saved = try #require(try AuditState.load(state))
            #expect(saved.audits == [AuditState.Audit(date: noon, size: 10)])

            let second = try AuditRun(key: key, statePath: state)
            #expect(second.audits.count == 1 && second.previous?.size == 10)
            let snapshot = try Self.snapshot(log, size: 13)
            let proof = try AuditRun.localConsistencyProof(entries: snapshot.entries, old: 10, new: 13)
            let later = try second.verify(snapshot, consistencyProof: proof, policy: AuditPolicy(today: Self.today))
            #expect(later.check("no-backdating")?.passed == !backdated, "\(later.text)")
            if backdated {
                #expect(AuditVerifierTests.evidence(later, "no-backdating").hasPrefix("entry 10 is dated 2026-11-20, but the audit of 2026-11-21 saw only 10 entries"))
                #expect(try AuditState.load(state)?.audits.count == 1, "a failed audit is not recorded")
            } else {
                #expect(later.passed, "\(later.text)")
                #expect(try AuditState.load(state)?.audits.count == 2)
            }
        }
    }

    @Test("a state file from before audits were recorded (the signed note alone) still loads")
    func legacyState() throws {
        let (log, _, _) = try AuditVerifierTests.honest()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("legacy-\(UUID().uuidString).checkpoint").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(try log.note().utf8).write(to: URL(fileURLWithPath: path))
        let state = try #require(try AuditState.load(path))
        #expect(state.audits.isEmpty)
        #expect(try state.previous().size == 13)
    }
}
