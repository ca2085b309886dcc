import CountersignCore
import CountersignCrypto
import Foundation
import Testing

/// Reproduces, byte for byte, the `count_log` vectors of `Keys/test-vectors.json`, made by `Tests/vectors/vectors.py`
/// with hashlib and cryptography alone: receipts, codes, leaves, tiles, the signed count checkpoint and receipt proofs.
@Suite("CountLog: public test vectors (vectors.py count_log)")
struct CountLogVectorTests {
    struct Vectors: Decodable {
        struct ReceiptCase: Decodable {
            let r: String
            let epoch: Int
            let commitment, leaf: String
            let index: Int
            let json, code, proof: String
        }

        let seed, auditOrigin, slug, verifierKey: String
        let entries: [String]
        let root, checkpoint: String
        let tiles: [String: String]
        let smallTiles: [String: String]
        let receipts: [ReceiptCase]

        enum CodingKeys: String, CodingKey {
            case seed
            case auditOrigin = "audit_origin"
            case slug
            case verifierKey = "verifier_key"
            case entries, root, checkpoint, tiles
            case smallTiles = "small_tiles"
            case receipts
        }
    }

    struct File: Decodable {
        let countLog: Vectors

        enum CodingKeys: String, CodingKey { case countLog = "count_log" }
    }

    static let vectors: Vectors = {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Keys/test-vectors.json")
        do {
            return try JSONDecoder().decode(File.self, from: Data(contentsOf: url)).countLog
        } catch {
            fatalError("cannot read \(url.path): \(error)")
        }
    }()

    static var entries: [[UInt8]] { vectors.entries.map { Array($0.utf8) } }

    @Test("every leaf parses and re-encodes to itself; the epochs rebuild from their events in the same order")
    func leaves() throws {
        let events = try Self.entries.map { try CountEvent(entry: $0) }
        #expect(events.map(\.entry) == Self.entries)
        let hour = Date(timeIntervalSince1970: 1_800_000_000)
        var rebuilt: [[UInt8]] = []
        for number in 0...(events.last?.epoch ?? 0) {
            let pending = events.filter { $0.epoch == number }.reversed().map { PendingCountEvent($0.kind, hour: hour) }
            rebuilt += CountEpoch(number: number, pending: pending).entries
        }
        #expect(rebuilt == Self.entries)
    }

    @Test("the root, the signed count checkpoint and the verifier key, byte for byte")
    func checkpoint() throws {
        let key = try Ed25519PrivateKey(seed: SecretBytes.hex(Self.vectors.seed))
        let audit = SignedNote.Verifier(name: Self.vectors.auditOrigin, publicKey: key.publicKey)
        #expect(try audit.encoded == Self.vectors.verifierKey)
        #expect(Hex.encode(try MerkleTree(entries: Self.entries).root()) == Self.vectors.root)
        let origin = CountCheckpoint.origin(auditOrigin: Self.vectors.auditOrigin, slug: Self.vectors.slug)
        let checkpoint = try CountCheckpoint(origin: origin, entries: Self.entries)
        #expect(try checkpoint.signed(by: [key]).encoded == Self.vectors.checkpoint)
        let report = CountVerifier(logKey: audit, slug: Self.vectors.slug).verify(checkpoint: Self.vectors.checkpoint, entries: Self.entries)
        #expect(report.passed, "\(report.text)")
    }

    @Test("every tile and entry bundle: the same paths and the same bytes")
    func tiles() throws {
        let layout = try TileLayout(entries: Self.entries)
        let paths = TileLayout.paths(size: layout.size) + TileLayout.bundlePaths(size: layout.size)
        #expect(Set(paths.map(\.path)) == Set(Self.vectors.tiles.keys))
        for path in paths {
            #expect(Hex.encode(try SHA256.hash(try layout.tile(path))) == Self.vectors.tiles[path.path], "\(path)")
        }
        let small = try TileLayout(entries: Array(Self.entries.prefix(3)))
        for (path, hex) in Self.vectors.smallTiles {
            #expect(Hex.encode(try small.tile(try TilePath(path: path))) == hex, "\(path)")
        }
        // A client given the vectors' tiles recomputes the signed root.
        var fetched: [TilePath: [UInt8]] = [:]
        for path in TiledTree.paths(size: layout.size) { fetched[path] = try layout.tile(path) }
        try TiledTree(size: layout.size, tiles: fetched).verify(root: try Hex.decode(Self.vectors.root))
    }

    @Test("receipts: commitment, receipt.json, code and tlog-proof byte for byte, and Python's proofs verify here")
    func receipts() throws {
        let key = try SignedNote.Verifier(encoded: Self.vectors.verifierKey)
        let origin = CountCheckpoint.origin(auditOrigin: Self.vectors.auditOrigin, slug: Self.vectors.slug)
        let tree = try MerkleTree(entries: Self.entries)
        #expect(Self.vectors.receipts.count >= 3)
        for vector in Self.vectors.receipts {
            let secret = try Hex.decode(vector.r)
            let receipt = try Receipt(slug: Self.vectors.slug, origin: origin, secret: secret, epoch: vector.epoch)
            #expect(Hex.encode(try receipt.commitment.bytes) == vector.commitment)
            #expect(receipt.json == vector.json)
            #expect(try receipt.code == vector.code)
            #expect(try Receipt(json: vector.json) == receipt)
            #expect(try Receipt(code: vector.code, auditOrigin: Self.vectors.auditOrigin) == receipt)
            #expect(CountEvent(.confirm(try receipt.commitment), epoch: vector.epoch).text == vector.leaf)
            let proof = TlogProof(
                extra: TlogProof.receiptExtra(secret: secret, epoch: vector.epoch), index: vector.index,
                proof: try #require(try tree.inclusionProof(index: vector.index, size: tree.size)),
                checkpoint: try SignedNote(encoded: Self.vectors.checkpoint))
            #expect(proof.text == vector.proof)
            let outcome = ReceiptProofVerifier(logKey: key).verify(vector.proof)
            #expect(outcome.report.passed, "\(outcome.report.text)")
            #expect(outcome.event?.text == vector.leaf)
        }
    }
}
