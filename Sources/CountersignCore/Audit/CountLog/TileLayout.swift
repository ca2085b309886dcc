import CountersignCrypto

/// The log side of C2SP tlog-tiles: from a log's entries, every tile and entry bundle a client may fetch.
///
/// The n-th tile at level l holds, for i from 0 to its width − 1, `MTH(D[(n·256 + i)·256^l ..< (n·256 + i + 1)·256^l])`:
/// level 0 holds leaf hashes, each level above the roots of full tiles of the level below. A tree of size s has, at
/// each level l, ⌊s / 256^(l+1)⌋ full tiles and, if `⌊s / 256^l⌋ mod 256` is not 0, one partial tile that wide
/// (``paths(size:)``). A full tile never changes; the server builds a size's tiles once and serves them from memory
/// (`CountLogCache`). ``TiledTree`` is the client side.
public struct TileLayout: Sendable {
    /// The entries, in log order.
    public let entries: [[UInt8]]
    /// `levels[l]` holds the hashes of tile level l: ⌊size / 256^l⌋ of them.
    let levels: [[[UInt8]]]

    /// The layout of a log holding `entries`.
    public init(entries: [[UInt8]]) throws(CountLogError) {
        self.entries = entries
        var leaves: [[UInt8]] = []
        leaves.reserveCapacity(entries.count)
        do {
            for entry in entries { leaves.append(try MerkleTree.leafHash(entry)) }
            levels = try Self.levels(leafHashes: leaves)
        } catch {
            throw .crypto(error)
        }
    }

    /// How many entries the log holds.
    public var size: Int { entries.count }

    private static func levels(leafHashes: [[UInt8]]) throws(CryptoError) -> [[[UInt8]]] {
        var levels = [leafHashes]
        while let below = levels.last, below.count >= TilePath.fullWidth {
            var above: [[UInt8]] = []
            above.reserveCapacity(below.count / TilePath.fullWidth)
            for start in stride(from: 0, to: below.count - TilePath.fullWidth + 1, by: TilePath.fullWidth) {
                above.append(try subtreeHash(below[start..<(start + TilePath.fullWidth)]))
            }
            levels.append(above)
        }
        return levels
    }

    /// The RFC 6962 hash of a full subtree whose 2^k children hashes are `hashes` (k ≥ 0).
    static func subtreeHash(_ hashes: ArraySlice<[UInt8]>) throws(CryptoError) -> [UInt8] {
        var row = Array(hashes)
        while row.count > 1 {
            var next: [[UInt8]] = []
            next.reserveCapacity(row.count / 2)
            for pair in stride(from: 0, to: row.count - 1, by: 2) { next.append(try MerkleTree.nodeHash(row[pair], row[pair + 1])) }
            row = next
        }
        return row.first ?? []
    }

    /// The bytes of a tile or entry bundle: `width` hashes of 32 bytes, or the length-prefixed entries. Throws
    /// ``CountLogError/outOfRange`` for a tile this log does not have at this size.
    public func tile(_ path: TilePath) throws(CountLogError) -> [UInt8] {
        let available = path.kind == .entries ? entries.count : (path.level < levels.count ? levels[path.level].count : 0)
        guard (0...TilePath.maximumIndex).contains(path.index), (1...TilePath.fullWidth).contains(path.width),
            path.index * TilePath.fullWidth + path.width <= available
        else {
            throw CountLogError(.outOfRange, reason: "the log of \(size) entries has no tile \(path.path)")
        }
        let start = path.index * TilePath.fullWidth
        switch path.kind {
        case .entries: return try EntryBundle.encode(entries[start..<(start + path.width)])
        case .hashes(let level): return levels[level][start..<(start + path.width)].flatMap { $0 }
        }
    }

    /// Every hash tile of a tree of `size` entries, level by level; the entry bundles are the level-0 tiles' with
    /// kind ``TilePath/Kind/entries`` (``bundlePaths(size:)``).
    public static func paths(size: Int) -> [TilePath] {
        var paths: [TilePath] = []
        var level = 0
        var count = size
        while count > 0 {
            for index in 0..<(count / TilePath.fullWidth) { paths.append(TilePath(.hashes(level: level), index: index)) }
            if count % TilePath.fullWidth > 0 {
                paths.append(TilePath(.hashes(level: level), index: count / TilePath.fullWidth, width: count % TilePath.fullWidth))
            }
            count /= TilePath.fullWidth
            level += 1
        }
        return paths
    }

    /// Every entry bundle of a tree of `size` entries.
    public static func bundlePaths(size: Int) -> [TilePath] {
        paths(size: size).filter { $0.level == 0 }.map { TilePath(.entries, index: $0.index, width: $0.width) }
    }
}
