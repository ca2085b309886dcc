import CountersignCore
import CountersignCrypto
import Foundation
import PropertyBased
import Synchronization
import Testing

@Suite("CountLog: C2SP tlog-tiles")
struct CountLogTilesTests {
    static func entries(_ count: Int) -> [[UInt8]] {
        (0..<count).map { Array("entry \($0)\n".utf8) }
    }

    @Test("tile paths: the spec's examples, and only canonical paths parse")
    func paths() throws {
        #expect(TilePath.encode(index: 1_234_067) == "x001/x234/067")
        #expect(TilePath.encode(index: 0) == "000")
        #expect(TilePath.encode(index: 1_000) == "x001/000")
        #expect(TilePath(.hashes(level: 0), index: 1_234_067).path == "tile/0/x001/x234/067")
        #expect(TilePath(.hashes(level: 1), index: 1_234, width: 17).path == "tile/1/x001/234.p/17")
        #expect(TilePath(.entries, index: 5, width: 1).path == "tile/entries/005.p/1")
        for path in ["tile/0/x001/x234/067", "tile/63/000", "tile/1/x001/234.p/17", "tile/entries/005.p/1", "tile/entries/x999/999"] {
            #expect(try TilePath(path: path).path == path)
        }
        for bad in [
            "tile/0/1", "tile/0/x001", "tile/00/000", "tile/64/000", "tile/0/001/234", "tile/0/x000/x001/234.p/0", "tile/0/000.p/256",
            "tile/0/000.p/01", "tiles/0/000", "tile/0/000/", "/tile/0/000", "tile/entries/000.p",
        ] {
            #expect(throws: CountLogError.malformedTilePath, "\(bad)") { try TilePath(path: bad) }
        }
    }

    @Test(
        "the spec's example: 70,000 entries make 273 full and a 112-wide level-0 tile, a full and a 17-wide level-1 tile, a 1-wide level-2 tile")
    func contents() throws {
        let entries = Self.entries(600)
        let layout = try TileLayout(entries: entries)
        let tree = try MerkleTree(entries: entries)
        #expect(try layout.tile(TilePath(.hashes(level: 0), index: 2, width: 88)) == tree.leaves[512..<600].flatMap { $0 })
        #expect(
            try layout.tile(TilePath(.hashes(level: 1), index: 0, width: 2)) == (try tree.root(size: 256))
                + (try MerkleTree(entries: Array(entries[256..<512])).root()))
        let bundle = try layout.tile(TilePath(.entries, index: 0))
        #expect(try EntryBundle.decode(bundle) == Array(entries[0..<256]))
        #expect(Array(bundle.prefix(2 + entries[0].count)) == [0, UInt8(entries[0].count)] + entries[0])
        #expect(throws: CountLogError.outOfRange) { try layout.tile(TilePath(.hashes(level: 0), index: 2)) }
        #expect(throws: CountLogError.outOfRange) { try layout.tile(TilePath(.hashes(level: 2), index: 0, width: 1)) }
        #expect(throws: CountLogError.malformedTile) { try EntryBundle.decode([0, 5, 1, 2]) }
    }

    static func fetch(_ layout: TileLayout, size: Int) throws -> [TilePath: [UInt8]] {
        var tiles: [TilePath: [UInt8]] = [:]
        let prefix = size == layout.size ? layout : try TileLayout(entries: Array(layout.entries.prefix(size)))
        for path in TiledTree.paths(size: size) { tiles[path] = try prefix.tile(path) }
        return tiles
    }

    @Test("a client holding only the tiles recomputes the RFC 6962 root, inclusion and consistency proofs of MerkleTree")
    func clientAgreesWithMerkleTree() throws {
        for size in [1, 2, 3, 7, 255, 256, 257, 511, 512, 600, 65_536 + 300] {
            let entries = Self.entries(size)
            let layout = try TileLayout(entries: entries)
            let tree = try MerkleTree(entries: entries)
            let client = try TiledTree(size: size, tiles: try Self.fetch(layout, size: size))
            #expect(try client.root() == (try tree.root()), "size \(size)")
            try client.verify(root: try tree.root())
            for index in Set([0, size / 3, size / 2, size - 1]) {
                #expect(
                    try client.inclusionProof(index: index, size: size) == (try tree.inclusionProof(index: index, size: size)), "\(index)/\(size)")
                #expect(try client.leafHash(index: index) == tree.leaves[index])
            }
            for old in Set([1, max(1, size / 2), max(1, size - 1), size]) where old <= size {
                #expect(
                    try client.consistencyProof(old: old, new: size) == (try tree.consistencyProof(oldSize: old, newSize: size)), "\(old)→\(size)")
                #expect(try client.root(size: old) == (try tree.root(size: old)))
            }
        }
    }

    @Test("property: for random sizes and indexes, tiles give MerkleTree's answers")
    func property() async throws {
        let failures = Mutex<[String]>([])
        await propertyCheck(count: 40, input: Gen.int(in: 1...1_500), Gen.int(in: 0...1_499), Gen.int(in: 1...1_500)) { size, rawIndex, rawOld in
            do {
                let entries = Self.entries(size)
                let tree = try MerkleTree(entries: entries)
                let client = try TiledTree(size: size, tiles: try Self.fetch(try TileLayout(entries: entries), size: size))
                let index = rawIndex % size
                let old = (rawOld - 1) % size + 1
                if try client.root() != tree.root() { failures.withLock { $0.append("root \(size)") } }
                if try client.inclusionProof(index: index, size: size) != tree.inclusionProof(index: index, size: size) {
                    failures.withLock { $0.append("inclusion \(index)/\(size)") }
                }
                if try client.consistencyProof(old: old, new: size) != tree.consistencyProof(oldSize: old, newSize: size) {
                    failures.withLock { $0.append("consistency \(old)/\(size)") }
                }
            } catch {
                failures.withLock { $0.append("size \(size): \(error)") }
            }
        }
        #expect(failures.withLock { $0 }.isEmpty, "\(failures.withLock { $0 })")
    }

    @Test("a tampered tile fails verify(root:), a missing tile is named, a short tile is refused")
    func tampering() throws {
        let entries = Self.entries(600)
        let layout = try TileLayout(entries: entries)
        let root = try MerkleTree(entries: entries).root()
        var tiles = try Self.fetch(layout, size: 600)
        let full = TilePath(.hashes(level: 0), index: 1)
        tiles[full]?[40] ^= 1
        // The flipped hash sits under a full level-1 entry: the root still matches, the tile above does not.
        let client = try TiledTree(size: 600, tiles: tiles)
        #expect(throws: CountLogError.malformedTile) { try client.verify(root: root) }
        var partial = try Self.fetch(layout, size: 600)
        partial[TilePath(.hashes(level: 0), index: 2, width: 88)]?[0] ^= 1
        #expect(throws: CountLogError.malformedTile) { try TiledTree(size: 600, tiles: partial).verify(root: root) }
        var missing = try Self.fetch(layout, size: 600)
        missing[TilePath(.hashes(level: 1), index: 0, width: 2)] = nil
        do {
            _ = try TiledTree(size: 600, tiles: missing).root()
            Issue.record("a root without its level-1 tile")
        } catch {
            #expect(error.code == .missingTile && error.reason.contains("tile/1/000.p/2"))
        }
        #expect(throws: CountLogError.malformedTile) { try TiledTree(size: 600, tiles: [full: [1, 2, 3]]) }
    }
}
