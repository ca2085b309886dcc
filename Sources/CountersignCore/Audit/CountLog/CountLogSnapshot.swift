import CountersignCrypto
import Foundation

/// What a verifier fetched of a petition's count log over C2SP tlog-tiles (`/count/SLUG/…`): the signed checkpoint as
/// served, the hash tiles and the entry bundles it asked for. `countersign count verify` fetches every tile and bundle;
/// `countersign receipt verify` fetches the bundles from just before the receipt's epoch to the end, their level-0
/// tiles, the right edge and every tile above level 0 (``receiptTilePaths(size:firstBundle:previousSize:)``), so that
/// the service learns the epoch and nothing finer. ``tilesCheck(root:)`` says whether what was fetched is the signed
/// tree's.
public struct CountLogSnapshot: Sendable {
    /// The signed count checkpoint, verbatim (with any witness cosignature lines).
    public let checkpoint: String
    /// The tree size the tiles were fetched for (the checkpoint's; 0 when it did not parse).
    public let size: Int
    /// The hash tiles fetched, by path.
    public let tiles: [TilePath: [UInt8]]
    /// The entry bundles fetched, raw, by their index (the index of the level-0 tile they stand beside).
    public let bundles: [Int: [UInt8]]

    public init(checkpoint: String, size: Int, tiles: [TilePath: [UInt8]], bundles: [Int: [UInt8]]) {
        self.checkpoint = checkpoint
        self.size = size
        self.tiles = tiles
        self.bundles = bundles
    }

    /// The tree size a served checkpoint states, or 0 if it is not a signed count checkpoint (the verifiers then
    /// report it as malformed).
    public static func size(of checkpoint: String) -> Int {
        let size = (try? CountCheckpoint(text: SignedNote(encoded: checkpoint).text).checkpoint.size) ?? 0
        // A checkpoint not yet verified may claim any size: beyond this the verifier fetches nothing, and the checks
        // fail, instead of listing paths for ever.
        return size <= maximumSize ? size : 0
    }

    /// The largest log a verifier fetches: 2^30 leaves, far beyond any petition (4 million bundles).
    public static let maximumSize = 1 << 30

    /// The hash tiles `receipt verify` fetches: every tile above level 0, and the level-0 tiles of the bundles from
    /// `firstBundle` to the end (the right edge among them); with an earlier checkpoint of `previousSize`, also the
    /// level-0 tile its tree ends in. None of them depends on more than the receipt's epoch (and the earlier size).
    public static func receiptTilePaths(size: Int, firstBundle: Int, previousSize: Int?) -> [TilePath] {
        let all = TileLayout.paths(size: size)
        var wanted = Set<Int>()
        if let previousSize, previousSize % TilePath.fullWidth != 0 { wanted.insert(previousSize / TilePath.fullWidth) }
        return all.filter { $0.level > 0 || $0.index >= firstBundle || wanted.contains($0.index) }
    }

    /// The entries of the fetched bundles from `firstBundle` on, in order, stopping at the first bundle missing or
    /// not decodable; the index of the first entry is `firstBundle × 256`.
    public func entries(fromBundle firstBundle: Int = 0) -> [[UInt8]] {
        var entries: [[UInt8]] = []
        var index = firstBundle
        while let bytes = bundles[index], let decoded = try? EntryBundle.decode(bytes) {
            entries += decoded
            index += 1
        }
        return entries
    }

    /// `count-tiles`: the hash tiles are the right length, each full tile hashes to its entry in the tile above, the
    /// whole hashes to `root` (the signed checkpoint's), and every fetched bundle holds exactly the leaves whose
    /// hashes its level-0 tile holds. When it passes, every hash and leaf read from the snapshot is the signed tree's;
    /// the tree is returned for proofs.
    public func tilesCheck(root: [UInt8]?) -> (check: AuditReport.Check, tree: TiledTree?) {
        func fail(_ evidence: String) -> (AuditReport.Check, TiledTree?) {
            (AuditReport.Check(name: "count-tiles", passed: false, evidence: evidence), nil)
        }
        guard let root else { return fail("there is no checkpoint root to check the tiles against") }
        let tree: TiledTree
        do {
            tree = try TiledTree(size: size, tiles: tiles)
            try tree.verify(root: root)
        } catch {
            return fail(error.reason)
        }
        for (index, bytes) in bundles.sorted(by: { $0.key < $1.key }) {
            let start = index * TilePath.fullWidth
            let expected = min(TilePath.fullWidth, size - start)
            guard let leaves = try? EntryBundle.decode(bytes), leaves.count == expected else {
                return fail("entry bundle \(index) does not decode to the \(expected) leaves the tree holds there: the log served a damaged bundle")
            }
            for (offset, leaf) in leaves.enumerated() {
                guard let hash = try? MerkleTree.leafHash(leaf), let held = try? tree.leafHash(index: start + offset), hash == held else {
                    return fail(
                        "leaf \(start + offset) of entry bundle \(index) is not the leaf the tiles hash: the log served a bundle of another tree")
                }
            }
        }
        let evidence = "\(tiles.count) tiles hash to the checkpoint's root at size \(size), and \(bundles.count) entry bundles match them"
        return (AuditReport.Check(name: "count-tiles", passed: true, evidence: evidence), tree)
    }
}
