import CountersignCore
import CountersignCrypto
import Foundation
import Testing

/// A small count log built with the core's own types, for the replay and proof tests.
struct CountLogFixture {
    static let auditOrigin = "petitions.example.org/audit"
    static let slug = "save-the-park"
    let key: Ed25519PrivateKey
    let secrets: [[UInt8]]
    let entries: [[UInt8]]

    var origin: String { CountCheckpoint.origin(auditOrigin: Self.auditOrigin, slug: Self.slug) }
    var logKey: SignedNote.Verifier { SignedNote.Verifier(name: Self.auditOrigin, publicKey: key.publicKey) }

    /// Three epochs: 12 confirms; 10 confirms and the withdrawal of secret 3; 10 confirms.
    init() throws {
        key = try Ed25519PrivateKey(seed: SecretBytes(copying: Array(100..<132)))
        secrets = (0..<32).map { i in (0..<32).map { UInt8(truncatingIfNeeded: $0 * 7 + i * 13 + 1) } }
        let hour = Date(timeIntervalSince1970: 1_800_000_000)
        let cs = try secrets.map { try ReceiptCommitment(slug: Self.slug, secret: $0) }
        let epochs: [[CountEvent.Kind]] = [
            (0..<12).map { .confirm(cs[$0]) },
            (12..<22).map { .confirm(cs[$0]) } + [.withdraw(cs[3])],
            (22..<32).map { .confirm(cs[$0]) },
        ]
        entries = epochs.enumerated().flatMap { number, kinds in
            CountEpoch(number: number, pending: kinds.map { PendingCountEvent($0, hour: hour) }).entries
        }
    }

    func checkpoint(_ entries: [[UInt8]]? = nil, count: Int? = nil) throws -> String {
        let entries = entries ?? self.entries
        let tree = try MerkleTree(entries: entries)
        let stated = CountCheckpoint(
            origin: origin, size: tree.size, rootHash: try tree.root(), count: try count ?? CountCheckpoint.count(of: entries))
        return try stated.signed(by: [key]).encoded
    }
}

@Suite("CountLog: the count replay (count verify)")
struct CountLogVerifierTests {
    static func failed(_ report: AuditReport) -> [String] { report.checks.filter { !$0.passed }.map(\.name) }

    @Test("an honest log passes every check, with the served count at an epoch's end")
    func honest() throws {
        let log = try CountLogFixture()
        let verifier = CountVerifier(logKey: log.logKey, slug: CountLogFixture.slug)
        let report = verifier.verify(checkpoint: try log.checkpoint(), entries: log.entries, served: .init(count: 31, size: 33))
        #expect(report.passed, "\(report.text)")
        #expect(report.check("count-total")?.evidence.contains("32 confirms − 1 withdrawals = 31") == true)
        #expect(verifier.verify(checkpoint: try log.checkpoint(), entries: log.entries, served: .init(count: 21, size: 23)).passed)
        #expect(report.check("epochs-ordered")?.evidence.hasPrefix("3 epochs") == true)
    }

    @Test("with --witness the count checkpoint must carry the witness's cosignature; without, the line says none is required")
    func witnesses() throws {
        let log = try CountLogFixture()
        let witness = try WitnessSigner(name: "witness.example/w1", key: Ed25519PrivateKey(seed: SecretBytes(copying: Array(1...32))))
        let plain = try log.checkpoint()
        #expect(CountVerifier(logKey: log.logKey, slug: CountLogFixture.slug).verify(checkpoint: plain, entries: log.entries).passed)
        let requiring = CountVerifier(logKey: log.logKey, slug: CountLogFixture.slug, witnesses: [witness.verifier])
        #expect(Self.failed(requiring.verify(checkpoint: plain, entries: log.entries)) == ["witness-cosignatures"])
        let note = try SignedNote(encoded: plain)
        let cosigned = note.adding([try witness.cosign(note.text, at: Date(timeIntervalSince1970: 1_800_000_000)).line]).encoded
        #expect(requiring.verify(checkpoint: cosigned, entries: log.entries).passed)
    }

    @Test("each tampering gets a named FAIL")
    func tampering() throws {
        let log = try CountLogFixture()
        let verifier = CountVerifier(logKey: log.logKey, slug: CountLogFixture.slug)
        let checkpoint = try log.checkpoint()
        // A forged count line, signed by the log key.
        #expect(Self.failed(verifier.verify(checkpoint: try log.checkpoint(count: 40), entries: log.entries)) == ["count-total"])
        // A dropped leaf, with the honest checkpoint.
        var dropped = log.entries
        dropped.remove(at: 5)
        #expect(Self.failed(verifier.verify(checkpoint: checkpoint, entries: dropped)).contains("count-root"))
        // A dropped leaf with a checkpoint re-signed over it: the count adds up, the receipt holder's proof would not.
        #expect(verifier.verify(checkpoint: try log.checkpoint(dropped), entries: dropped).passed)
        // A changed leaf.
        var changed = log.entries
        changed[7][changed[7].count - 3] ^= 1
        #expect(Self.failed(verifier.verify(checkpoint: checkpoint, entries: changed)).contains("count-root"))
        // A repeated commitment, a withdrawal of an unknown one and a second withdrawal, each re-signed.
        var repeated = log.entries
        repeated.insert(log.entries[0], at: 1)
        #expect(Self.failed(verifier.verify(checkpoint: try log.checkpoint(repeated), entries: repeated)).contains("commitments-unique"))
        let stranger = try ReceiptCommitment(slug: CountLogFixture.slug, secret: Array(repeating: 9, count: 32))
        let unknown = log.entries + [CountEvent(.withdraw(stranger), epoch: 3).entry]
        #expect(Self.failed(verifier.verify(checkpoint: try log.checkpoint(unknown), entries: unknown)) == ["withdrawals-known"])
        let withdrawal = try #require(log.entries.first { $0.starts(with: Array("withdraw".utf8)) })
        let twice = log.entries + [Array(String(decoding: withdrawal, as: UTF8.self).replacingOccurrences(of: "withdraw 1", with: "withdraw 3").utf8)]
        #expect(Self.failed(verifier.verify(checkpoint: try log.checkpoint(twice), entries: twice)) == ["withdrawals-known"])
        // Reordered leaves within an epoch, and an epoch that goes back or skips.
        var swapped = log.entries
        swapped.swapAt(0, 1)
        #expect(Self.failed(verifier.verify(checkpoint: try log.checkpoint(swapped), entries: swapped)) == ["epochs-ordered"])
        let skipped = log.entries + [CountEvent(.shred, epoch: 5).entry]
        #expect(Self.failed(verifier.verify(checkpoint: try log.checkpoint(skipped), entries: skipped)) == ["epochs-ordered"])
        let afterShred = log.entries + [CountEvent(.shred, epoch: 3).entry, CountEvent(.confirm(stranger), epoch: 4).entry]
        #expect(Self.failed(verifier.verify(checkpoint: try log.checkpoint(afterShred), entries: afterShred)) == ["epochs-ordered"])
        // A leaf that does not parse.
        let garbage = log.entries + [Array("confirm 3 nope\n".utf8)]
        #expect(Self.failed(verifier.verify(checkpoint: try log.checkpoint(garbage, count: 31), entries: garbage)).contains("count-entries-format"))
        // A checkpoint signed by another key, and one of another petition.
        let other = try Ed25519PrivateKey.generate()
        let foreign = try CountCheckpoint(origin: log.origin, entries: log.entries).signed(by: [other]).encoded
        #expect(Self.failed(verifier.verify(checkpoint: foreign, entries: log.entries)) == ["count-checkpoint-signature"])
        let otherPetition = CountVerifier(logKey: log.logKey, slug: "another")
        #expect(Self.failed(otherPetition.verify(checkpoint: checkpoint, entries: log.entries)).contains("count-checkpoint-format"))
        // A served count that is not the log's, or not at an epoch's end.
        #expect(Self.failed(verifier.verify(checkpoint: checkpoint, entries: log.entries, served: .init(count: 32, size: 33))) == ["served-count"])
        #expect(Self.failed(verifier.verify(checkpoint: checkpoint, entries: log.entries, served: .init(count: 5, size: 5))) == ["served-count"])
        #expect(Self.failed(verifier.verify(checkpoint: checkpoint, entries: log.entries, served: .init(count: 40, size: 90))) == ["served-count"])
        // A line per check, as audit verify prints them.
        #expect(verifier.verify(checkpoint: "junk", entries: log.entries).text.contains("FAIL count-checkpoint-format"))
    }
}

@Suite("CountLog: receipt proofs (c2sp.org/tlog-proof@v1)")
struct CountLogProofTests {
    static func proof(_ log: CountLogFixture, secret: Int, epoch: Int, kind: String = "confirm", note: String? = nil) throws -> TlogProof {
        let c = try ReceiptCommitment(slug: CountLogFixture.slug, secret: log.secrets[secret])
        let event = CountEvent(kind == "confirm" ? .confirm(c) : .withdraw(c), epoch: epoch)
        let index = try #require(log.entries.firstIndex(of: event.entry))
        let tree = try MerkleTree(entries: log.entries)
        let checkpoint = try SignedNote(encoded: note ?? log.checkpoint())
        return TlogProof(
            extra: TlogProof.receiptExtra(secret: log.secrets[secret], epoch: epoch), index: index,
            proof: try #require(try tree.inclusionProof(index: index, size: tree.size)), checkpoint: checkpoint)
    }

    @Test("a receipt's proof round-trips as text and verifies offline; a withdrawn one verifies as withdrawn")
    func verifies() throws {
        let log = try CountLogFixture()
        let verifier = ReceiptProofVerifier(logKey: log.logKey)
        let proof = try Self.proof(log, secret: 20, epoch: 1)
        #expect(proof.text.hasPrefix("c2sp.org/tlog-proof@v1\nextra "))
        #expect(try TlogProof(text: proof.text) == proof)
        let outcome = verifier.verify(proof.text)
        #expect(outcome.report.passed, "\(outcome.report.text)")
        if case .confirm? = outcome.event?.kind {} else { Issue.record("not a confirm: \(String(describing: outcome.event))") }
        #expect(outcome.checkpoint?.count == 31)
        let withdrawn = verifier.verify(try Self.proof(log, secret: 3, epoch: 1, kind: "withdraw").text)
        #expect(withdrawn.report.passed)
        if case .withdraw? = withdrawn.event?.kind {} else { Issue.record("not a withdrawal") }
    }

    @Test("a wrong r, index, key, origin or witness fails its named check")
    func failures() throws {
        let log = try CountLogFixture()
        let verifier = ReceiptProofVerifier(logKey: log.logKey)
        let good = try Self.proof(log, secret: 20, epoch: 1)
        let wrongR = TlogProof(
            extra: TlogProof.receiptExtra(secret: log.secrets[21], epoch: 1), index: good.index, proof: good.proof, checkpoint: good.checkpoint)
        #expect(CountLogVerifierTests.failed(verifier.verify(wrongR.text).report) == ["inclusion"])
        let wrongIndex = TlogProof(extra: good.extra, index: good.index + 1, proof: good.proof, checkpoint: good.checkpoint)
        #expect(CountLogVerifierTests.failed(verifier.verify(wrongIndex.text).report) == ["inclusion"])
        let stranger = ReceiptProofVerifier(
            logKey: SignedNote.Verifier(name: CountLogFixture.auditOrigin, publicKey: try Ed25519PrivateKey.generate().publicKey))
        #expect(CountLogVerifierTests.failed(stranger.verify(good.text).report) == ["checkpoint-signature"])
        let elsewhere = ReceiptProofVerifier(logKey: SignedNote.Verifier(name: "elsewhere.example/audit", publicKey: log.key.publicKey))
        #expect(CountLogVerifierTests.failed(elsewhere.verify(good.text).report).first == "proof-format")
        let witness = try WitnessSigner(name: "witness.example/w1", key: Ed25519PrivateKey(seed: SecretBytes(copying: Array(1...32))))
        let requiring = ReceiptProofVerifier(logKey: log.logKey, witnesses: [witness.verifier])
        #expect(CountLogVerifierTests.failed(requiring.verify(good.text).report) == ["witness-cosignatures"])
        let cosigned = good.checkpoint.adding([try witness.cosign(good.checkpoint.text, at: Date(timeIntervalSince1970: 1_800_000_000)).line])
        let witnessed = TlogProof(extra: good.extra, index: good.index, proof: good.proof, checkpoint: cosigned)
        #expect(requiring.verify(witnessed.text).report.passed)
        for bad in [
            "", "c2sp.org/tlog-proof@v1\nindex x\n\n", good.text.replacingOccurrences(of: "c2sp.org/tlog-proof@v1", with: "c2sp.org/tlog-proof@v2"),
        ] {
            #expect(throws: CountLogError.malformedProof) { try TlogProof(text: bad) }
            #expect(verifier.verify(bad).report.check("proof-format")?.passed == false)
        }
    }
}

@Suite("CountLog: looking a receipt up and saving its proof")
struct CountLogLookupTests {
    @Test("a receipt is pending, confirmed, withdrawn or missing, and its saved proof verifies offline")
    func lookup() throws {
        let log = try CountLogFixture()
        let receipt = try Receipt(slug: CountLogFixture.slug, origin: log.origin, secret: log.secrets[20], epoch: 1)
        let lookup = ReceiptLookup(receipt: receipt)
        #expect(lookup.status(in: Array(log.entries.prefix(12))) == .pending)
        guard case .confirmed(let index) = lookup.status(in: log.entries) else {
            Issue.record("not confirmed")
            return
        }
        let withdrawn = ReceiptLookup(receipt: try Receipt(slug: CountLogFixture.slug, origin: log.origin, secret: log.secrets[3], epoch: 0))
        if case .withdrawn = withdrawn.status(in: log.entries) {} else { Issue.record("not withdrawn") }
        var dropped = log.entries
        dropped.remove(at: index)
        #expect(lookup.status(in: dropped) == .missing)
        // A receipt naming an epoch the log cannot reach is evidence, not "pending for ever": more than one past the last
        // logged epoch, or after the shred that ended the log.
        let lastEpoch = try CountEvent(entry: try #require(log.entries.last)).epoch
        let ahead = ReceiptLookup(receipt: try Receipt(slug: CountLogFixture.slug, origin: log.origin, secret: log.secrets[20], epoch: lastEpoch + 2))
        #expect(ahead.status(in: log.entries) == .missing)
        let next = ReceiptLookup(receipt: try Receipt(slug: CountLogFixture.slug, origin: log.origin, secret: log.secrets[20], epoch: lastEpoch + 1))
        #expect(next.status(in: log.entries) == .pending)
        let shred = CountEvent(.shred, epoch: lastEpoch + 1).entry
        #expect(next.status(in: log.entries + [shred]) == .missing)
        // Only the tiles: the proof made from them verifies with the log key alone.
        let layout = try TileLayout(entries: log.entries)
        var tiles: [TilePath: [UInt8]] = [:]
        for path in TiledTree.paths(size: layout.size) { tiles[path] = try layout.tile(path) }
        let proof = try lookup.proof(
            index: index, tree: try TiledTree(size: layout.size, tiles: tiles), checkpoint: try SignedNote(encoded: log.checkpoint()))
        #expect(ReceiptProofVerifier(logKey: log.logKey).verify(proof.text).report.passed)
    }
}
