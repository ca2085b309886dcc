import CountersignCore
import CountersignCrypto
import CountersignServer
import Foundation
import Testing

/// A petition's count log served from memory as C2SP tlog-tiles, with the API's logged count: what `receipt verify`
/// and `count verify` fetch, built with the core's own ``TileLayout``. Four epochs of 150, 301 (with the withdrawal of
/// secret 3), 200 and 50 leaves: 701 leaves, two full level-0 tiles, a partial one and a level-1 tile.
struct ServedCountLog: Sendable {
    static let auditOrigin = "petitions.example.org/audit"
    static let slug = "save-the-park"
    static let hour = Date(timeIntervalSince1970: 1_800_000_000)
    static let epochSizes = [150, 300, 200, 50]

    let key: Ed25519PrivateKey
    let entries: [[UInt8]]
    let layout: TileLayout
    let checkpoint: String
    let served: String

    var origin: String { CountCheckpoint.origin(auditOrigin: Self.auditOrigin, slug: Self.slug) }
    var logKey: SignedNote.Verifier { SignedNote.Verifier(name: Self.auditOrigin, publicKey: key.publicKey) }

    static func secret(_ i: Int) -> [UInt8] { [UInt8(i >> 8), UInt8(i & 0xFF)] + Array(repeating: 0x5A, count: 30) }
    static func commitment(_ i: Int) throws -> ReceiptCommitment { try ReceiptCommitment(slug: slug, secret: secret(i)) }

    /// The honest log's events, epoch by epoch: secret i is confirmed in the epoch its number falls in.
    static func epochs() throws -> [[CountEvent.Kind]] {
        var start = 0
        var epochs: [[CountEvent.Kind]] = []
        for size in epochSizes {
            epochs.append(try (start..<(start + size)).map { .confirm(try commitment($0)) })
            start += size
        }
        epochs[1].append(.withdraw(try commitment(3)))
        return epochs
    }

    /// The epoch secret `i` was confirmed in.
    static func epoch(of i: Int) -> Int {
        var end = 0
        for (number, size) in epochSizes.enumerated() {
            end += size
            if i < end { return number }
        }
        return epochSizes.count
    }

    init(epochs: [[CountEvent.Kind]]? = nil, count: Int? = nil, signer: Ed25519PrivateKey? = nil, served: (count: Int, size: Int)? = nil) throws {
        key = try Ed25519PrivateKey(seed: SecretBytes(copying: Array(100..<132)))
        entries = try (epochs ?? Self.epochs()).enumerated().flatMap { number, kinds in
            CountEpoch(number: number, pending: kinds.map { PendingCountEvent($0, hour: Self.hour) }).entries
        }
        layout = try TileLayout(entries: entries)
        let tree = try MerkleTree(entries: entries)
        let origin = CountCheckpoint.origin(auditOrigin: Self.auditOrigin, slug: Self.slug)
        let stated = CountCheckpoint(
            origin: origin, size: tree.size, rootHash: try tree.root(), count: try count ?? CountCheckpoint.count(of: entries))
        checkpoint = try stated.signed(by: [signer ?? key]).encoded
        let logged = try served ?? (CountCheckpoint.count(of: entries), entries.count)
        self.served = "{\"liveCount\":\(logged.count + 2),\"loggedCount\":\(logged.count),\"logSize\":\(logged.size),\"slug\":\"\(Self.slug)\"}"
    }

    func receipt(_ i: Int, epoch: Int? = nil) throws -> Receipt {
        try Receipt(slug: Self.slug, origin: origin, secret: Self.secret(i), epoch: epoch ?? Self.epoch(of: i))
    }

    /// A fetcher of this log; `replace` serves other bytes at some paths, `requests` records every path asked for.
    func fetcher(replace: [String: [UInt8]] = [:], requests: RequestLog? = nil) -> CountFetcher {
        let (layout, checkpoint, served) = (self.layout, self.checkpoint, self.served)
        let prefix = "/count/\(Self.slug)/"
        return CountFetcher(slug: Self.slug) { path in
            await requests?.add(path)
            if let bytes = replace[path] { return bytes }
            if path == prefix + "checkpoint" { return Array(checkpoint.utf8) }
            if path == "/api/petitions/\(Self.slug)" { return Array(served.utf8) }
            guard path.hasPrefix(prefix) else { throw AuditFetchError(.notOK, reason: "404 \(path)") }
            return try layout.tile(TilePath(path: String(path.dropFirst(prefix.count))))
        }
    }
}

/// The paths a fake service was asked for.
actor RequestLog {
    private(set) var paths: [String] = []

    func add(_ path: String) { paths.append(path) }
}

@Suite("receipt verify: a receipt against a count log served as tiles")
struct ReceiptVerifyTests {
    static func failed(_ report: AuditReport) -> [String] { report.checks.filter { !$0.passed }.map(\.name) }

    static func verify(_ log: ServedCountLog, _ receipt: Receipt, replace: [String: [UInt8]] = [:], key: SignedNote.Verifier? = nil)
        async throws -> ReceiptVerifier.Outcome
    {
        try await ReceiptVerifier(logKey: key ?? log.logKey).fetchAndVerify(receipt, fetcher: log.fetcher(replace: replace), statePath: nil)
    }

    @Test("a receipt that is in the log passes, and only its epoch's bundles and the log after it are fetched, never one leaf")
    func included() async throws {
        let log = try ServedCountLog()
        for i in [0, 200, 500, 680] {
            let outcome = try await Self.verify(log, log.receipt(i))
            #expect(outcome.report.passed, "\(outcome.report.text)")
            guard case .confirmed(let index) = outcome.status else {
                Issue.record("receipt \(i) is not confirmed: \(String(describing: outcome.status))")
                continue
            }
            #expect(log.entries[index] == CountEvent(.confirm(try ServedCountLog.commitment(i)), epoch: ServedCountLog.epoch(of: i)).entry)
            #expect(outcome.report.check("receipt")?.evidence.hasPrefix("counted") == true)
            #expect(outcome.proof?.index == index)
        }
        // What the service sees depends on the epoch alone: two receipts of epoch 3 ask for the same paths.
        var asked: [[String]] = []
        for i in [660, 690] {
            let requests = RequestLog()
            let outcome = try await ReceiptVerifier(logKey: log.logKey).fetchAndVerify(
                try log.receipt(i), fetcher: log.fetcher(requests: requests), statePath: nil)
            #expect(outcome.report.passed)
            asked.append(await requests.paths.sorted())
        }
        #expect(asked[0] == asked[1])
        let bundles = asked[0].filter { $0.contains("/tile/entries/") }
        #expect(Set(bundles) == ["/count/save-the-park/tile/entries/001", "/count/save-the-park/tile/entries/002.p/189"])
        #expect(!asked[0].contains("/count/save-the-park/tile/0/000"), "a level-0 tile of leaves before the epoch was fetched")
    }

    @Test("a receipt whose confirm leaf the log dropped fails, with the receipt as evidence")
    func dropped() async throws {
        var epochs = try ServedCountLog.epochs()
        let dropped = CountEvent.Kind.confirm(try ServedCountLog.commitment(500))
        epochs[2].removeAll { $0 == dropped }
        let log = try ServedCountLog(epochs: epochs)
        let outcome = try await Self.verify(log, log.receipt(500))
        #expect(Self.failed(outcome.report) == ["receipt"], "\(outcome.report.text)")
        #expect(outcome.status == .missing)
        #expect(outcome.report.check("receipt")?.evidence.contains("dropped") == true)
        #expect(outcome.proof == nil)
        // Another receipt of the same log still verifies.
        #expect(try await Self.verify(log, log.receipt(501)).report.passed)
    }

    @Test("a withdrawn receipt says withdrawn, and its saved proof verifies offline as withdrawn")
    func withdrawn() async throws {
        let log = try ServedCountLog()
        let outcome = try await Self.verify(log, log.receipt(3))
        #expect(outcome.report.passed, "\(outcome.report.text)")
        guard case .withdrawn(_, let withdrawal) = outcome.status else {
            Issue.record("not withdrawn: \(String(describing: outcome.status))")
            return
        }
        #expect(outcome.report.check("receipt")?.evidence.hasPrefix("withdrawn") == true)
        let proof = try #require(outcome.proof)
        #expect(proof.index == withdrawal)
        let offline = ReceiptProofVerifier(logKey: log.logKey).verify(proof.text)
        #expect(offline.report.passed, "\(offline.report.text)")
        if case .withdraw? = offline.event?.kind {} else { Issue.record("the saved proof is not of the withdrawal") }
    }

    @Test("a tampered tile or entry bundle fails count-tiles")
    func tamperedTile() async throws {
        let log = try ServedCountLog()
        let receipt = try log.receipt(680)
        for path in ["tile/0/001", "tile/0/002.p/189", "tile/1/000.p/2"] {
            var bytes = try log.layout.tile(TilePath(path: path))
            bytes[40] ^= 1
            let outcome = try await Self.verify(log, receipt, replace: ["/count/save-the-park/" + path: bytes])
            #expect(Self.failed(outcome.report).contains("count-tiles"), "\(path): \(outcome.report.text)")
            #expect(outcome.proof == nil)
        }
        var bundle = try log.layout.tile(TilePath(path: "tile/entries/002.p/189"))
        bundle[10] ^= 1
        let outcome = try await Self.verify(log, receipt, replace: ["/count/save-the-park/tile/entries/002.p/189": bundle])
        #expect(Self.failed(outcome.report).contains("count-tiles"), "\(outcome.report.text)")
    }

    @Test("a checkpoint signed by another key fails checkpoint-signature; a receipt of another service fails checkpoint-format")
    func otherKey() async throws {
        let log = try ServedCountLog(signer: try Ed25519PrivateKey(seed: SecretBytes(copying: Array(1...32))))
        let outcome = try await Self.verify(log, log.receipt(10))
        #expect(Self.failed(outcome.report) == ["checkpoint-signature"], "\(outcome.report.text)")
        let honest = try ServedCountLog()
        let elsewhere = SignedNote.Verifier(name: "elsewhere.example/audit", publicKey: honest.key.publicKey)
        #expect(Self.failed(try await Self.verify(honest, honest.receipt(10), key: elsewhere).report).first == "checkpoint-format")
    }

    @Test("a receipt of an epoch not logged yet is PENDING, not FAIL")
    func pending() async throws {
        let log = try ServedCountLog()
        let outcome = try await Self.verify(log, log.receipt(5000, epoch: 4))
        #expect(outcome.report.passed, "\(outcome.report.text)")
        #expect(outcome.status == .pending)
        #expect(outcome.report.check("receipt")?.pending == true)
        #expect(outcome.report.text.contains("PENDING receipt: epoch 4 is not logged yet"))
        #expect(outcome.proof == nil)
    }

    @Test("with the checkpoint seen last time, a log that only grew passes consistency and a rewritten one fails")
    func consistency() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("receipt-state-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let state = directory.appendingPathComponent("count.checkpoint").path
        let epochs = try ServedCountLog.epochs()
        let earlier = try ServedCountLog(epochs: Array(epochs.prefix(1)))
        let first = try await ReceiptVerifier(logKey: earlier.logKey).fetchAndVerify(
            try earlier.receipt(100), fetcher: earlier.fetcher(), statePath: state)
        #expect(first.report.check("consistency")?.evidence.contains("reference") == true, "\(first.report.text)")
        // Receipt 680's epoch starts in bundle 2: the level-0 tile the earlier tree of 150 ends in is fetched for the proof.
        let log = try ServedCountLog()
        let grown = try await ReceiptVerifier(logKey: log.logKey).fetchAndVerify(try log.receipt(680), fetcher: log.fetcher(), statePath: state)
        #expect(grown.report.passed, "\(grown.report.text)")
        #expect(grown.report.check("consistency")?.evidence.contains("extends the earlier one of 150") == true, "\(grown.report.text)")
        // A later checkpoint whose history is not the one seen (a leaf slipped into epoch 0) fails.
        var forked = epochs
        forked[0].append(.confirm(try ServedCountLog.commitment(9000)))
        let fork = try ServedCountLog(epochs: forked)
        let outcome = try await ReceiptVerifier(logKey: fork.logKey).fetchAndVerify(try fork.receipt(680), fetcher: fork.fetcher(), statePath: state)
        #expect(Self.failed(outcome.report) == ["consistency"], "\(outcome.report.text)")
        #expect(outcome.report.check("consistency")?.evidence.contains("rewrote its history") == true)
    }

    @Test("--save: the proof made from tiles round-trips as a file and verifies offline; the file type is told by content")
    func savedProof() async throws {
        let log = try ServedCountLog()
        let receipt = try log.receipt(321)
        let outcome = try await Self.verify(log, receipt)
        let proof = try #require(outcome.proof)
        guard case .proof(let text) = try ReceiptFile(text: proof.text, auditOrigin: ServedCountLog.auditOrigin) else {
            Issue.record("a proof was not read as one")
            return
        }
        let offline = ReceiptProofVerifier(logKey: log.logKey).verify(text)
        #expect(offline.report.passed, "\(offline.report.text)")
        if case .confirm? = offline.event?.kind {} else { Issue.record("not a confirm") }
        guard case .receipt(let fromJSON) = try ReceiptFile(text: receipt.json, auditOrigin: ServedCountLog.auditOrigin),
            case .receipt(let fromCode) = try ReceiptFile(text: try receipt.code + "\n", auditOrigin: ServedCountLog.auditOrigin)
        else {
            Issue.record("a receipt was not read as one")
            return
        }
        #expect(fromJSON == receipt && fromCode == receipt)
        #expect(throws: CountLogError.malformedReceipt) { try ReceiptFile(text: "hello", auditOrigin: ServedCountLog.auditOrigin) }
        let stranger = ReceiptProofVerifier(
            logKey: SignedNote.Verifier(name: ServedCountLog.auditOrigin, publicKey: try Ed25519PrivateKey.generate().publicKey))
        #expect(!stranger.verify(text).report.passed)
    }
}

@Suite("count verify: the count replayed from a log served as tiles")
struct CountVerifyTests {
    static func verify(_ log: ServedCountLog, replace: [String: [UInt8]] = [:]) async throws -> AuditReport {
        try await CountVerifier(logKey: log.logKey, slug: ServedCountLog.slug).fetchAndVerify(fetcher: log.fetcher(replace: replace))
    }

    @Test("an honest log passes every check, count-tiles among them")
    func honest() async throws {
        let report = try await Self.verify(try ServedCountLog())
        #expect(report.passed, "\(report.text)")
        #expect(report.check("count-tiles")?.passed == true)
        #expect(report.check("served-count")?.evidence.contains("699 at size 701") == true)
    }

    @Test("a forged count line, a withdrawal of an unknown commitment, a served count mismatch and a tampered tile each get a named FAIL")
    func failures() async throws {
        let forged = try await Self.verify(try ServedCountLog(count: 700, served: (700, 701)))
        #expect(ReceiptVerifyTests.failed(forged) == ["count-total", "served-count"], "\(forged.text)")
        var epochs = try ServedCountLog.epochs()
        epochs[3].append(.withdraw(try ServedCountLog.commitment(9999)))
        let unknown = try await Self.verify(try ServedCountLog(epochs: epochs))
        #expect(ReceiptVerifyTests.failed(unknown) == ["withdrawals-known"], "\(unknown.text)")
        let mismatch = try await Self.verify(try ServedCountLog(served: (640, 651)))
        #expect(ReceiptVerifyTests.failed(mismatch) == ["served-count"], "\(mismatch.text)")
        let log = try ServedCountLog()
        var tile = try log.layout.tile(TilePath(path: "tile/0/000"))
        tile[0] ^= 1
        let tampered = try await Self.verify(log, replace: ["/count/save-the-park/tile/0/000": tile])
        #expect(ReceiptVerifyTests.failed(tampered) == ["count-tiles"], "\(tampered.text)")
        var bundle = try log.layout.tile(TilePath(path: "tile/entries/001"))
        bundle[5] ^= 1
        let damaged = try await Self.verify(log, replace: ["/count/save-the-park/tile/entries/001": bundle])
        #expect(ReceiptVerifyTests.failed(damaged).contains("count-tiles"), "\(damaged.text)")
        #expect(ReceiptVerifyTests.failed(damaged).contains("count-root"), "\(damaged.text)")
    }
}
