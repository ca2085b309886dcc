import CountersignCrypto

/// The client side of C2SP tlog-tiles: from the tiles it fetched, a verifier recomputes the tree hash of any size up to
/// ``size``, any inclusion proof and any consistency proof, as RFC 6962 §2.1 defines them, with no other help from the
/// log. ``verify(root:)`` checks that the tiles it holds agree with each other and with a signed root.
public struct TiledTree: Sendable {
    /// The tree size the tiles were fetched for (a checkpoint's).
    public let size: Int
    /// The hashes of each tile held, by level and index.
    private var tiles: [Key: [[UInt8]]] = [:]

    private struct Key: Hashable {
        let level: Int
        let index: Int
    }

    /// Takes the hash tiles fetched for a tree of `size` entries (paths from ``TileLayout/paths(size:)``, or any tiles
    /// at least as wide); entry bundles are ignored. Throws on a tile whose length is not its width's.
    public init(size: Int, tiles fetched: [TilePath: [UInt8]]) throws(CountLogError) {
        self.size = size
        for (path, bytes) in fetched {
            guard case .hashes(let level) = path.kind else { continue }
            guard bytes.count == path.width * SHA256.outputLength else {
                throw CountLogError(
                    .malformedTile, reason: "tile \(path.path) holds \(bytes.count) bytes, not \(path.width) hashes of 32 bytes: fetch it again")
            }
            let hashes = stride(from: 0, to: bytes.count, by: SHA256.outputLength).map { Array(bytes[$0..<($0 + SHA256.outputLength)]) }
            let key = Key(level: level, index: path.index)
            if (tiles[key]?.count ?? 0) < hashes.count { tiles[key] = hashes }
        }
    }

    /// The hash tiles a verifier fetches for a tree of `size` entries.
    public static func paths(size: Int) -> [TilePath] { TileLayout.paths(size: size) }

    /// The leaf hash at `index`, from its level-0 tile.
    public func leafHash(index: Int) throws(CountLogError) -> [UInt8] {
        guard index >= 0, index < size else { throw outOfRange("leaf \(index)") }
        guard let hash = try hashes(level: 0, start: index, count: 1).first else { throw outOfRange("leaf \(index)") }
        return hash
    }

    /// The tree hash of the first `size` entries (the whole tree by default); the empty tree's is SHA-256().
    public func root(size: Int? = nil) throws(CountLogError) -> [UInt8] {
        let size = size ?? self.size
        guard size >= 0, size <= self.size else { throw outOfRange("a tree of \(size) entries") }
        guard size > 0 else {
            do { return try SHA256.hash() } catch { throw .crypto(error) }
        }
        return try hash(0..<size)
    }

    /// The audit path of leaf `index` in the tree of the first `size` entries (RFC 6962 §2.1.1).
    public func inclusionProof(index: Int, size: Int) throws(CountLogError) -> [[UInt8]] {
        guard index >= 0, index < size, size <= self.size else { throw outOfRange("leaf \(index) of a tree of \(size)") }
        return try path(index, 0..<size)
    }

    /// The proof that the tree of `old` entries is a prefix of the tree of `new` (RFC 6962 §2.1.2).
    public func consistencyProof(old: Int, new: Int) throws(CountLogError) -> [[UInt8]] {
        guard 0 < old, old <= new, new <= self.size else { throw outOfRange("a consistency proof from \(old) to \(new)") }
        return try subproof(old, 0..<new, complete: true)
    }

    /// Checks the tiles held: each full tile hashes to its entry in the tile above, when that tile is held, and the
    /// tree hash is `root`. A client that checks this against a signed checkpoint's root can trust every hash it reads.
    public func verify(root expected: [UInt8]) throws(CountLogError) {
        for (key, hashes) in tiles where hashes.count == TilePath.fullWidth {
            guard let above = tiles[Key(level: key.level + 1, index: key.index / TilePath.fullWidth)],
                key.index % TilePath.fullWidth < above.count
            else { continue }
            let computed: [UInt8]
            do { computed = try TileLayout.subtreeHash(hashes[...]) } catch { throw .crypto(error) }
            guard computed == above[key.index % TilePath.fullWidth] else {
                throw CountLogError(
                    .malformedTile,
                    reason: "tile \(TilePath(.hashes(level: key.level), index: key.index).path) does not hash to its entry in the tile above: "
                        + "the log served inconsistent tiles")
            }
        }
        guard ConstantTime.equals(try root(), expected) else {
            throw CountLogError(.malformedTile, reason: "the tiles hash to a root that is not the checkpoint's: the log served tiles of another tree")
        }
    }

    // MARK: - RFC 6962 recursions over ranges of leaves

    /// `count` hashes of tile level `level` from position `start`, all in one tile.
    private func hashes(level: Int, start: Int, count: Int) throws(CountLogError) -> ArraySlice<[UInt8]> {
        let index = start / TilePath.fullWidth
        let offset = start % TilePath.fullWidth
        guard let tile = tiles[Key(level: level, index: index)], offset + count <= tile.count else {
            let width = min(TilePath.fullWidth, size / Self.power(level) - index * TilePath.fullWidth)
            throw CountLogError(
                .missingTile, reason: "tile \(TilePath(.hashes(level: level), index: index, width: max(width, 1)).path) is needed: fetch it")
        }
        return tile[offset..<(offset + count)]
    }

    private static func power(_ level: Int) -> Int {
        (0..<level).reduce(1) { product, _ in product * TilePath.fullWidth }
    }

    /// MTH(D[range]) for a node of the tree: a range whose length is a power of two and whose start is aligned to it
    /// comes from one tile; any other is split as RFC 6962 splits it.
    private func hash(_ range: Range<Int>) throws(CountLogError) -> [UInt8] {
        let count = range.count
        if count & (count - 1) == 0 && range.lowerBound % count == 0 {
            let height = count.trailingZeroBitCount
            let level = height / 8
            let width = 1 << (height % 8)
            let start = range.lowerBound / Self.power(level)
            let children = try hashes(level: level, start: start, count: width)
            do { return try TileLayout.subtreeHash(children) } catch { throw .crypto(error) }
        }
        let middle = range.lowerBound + Self.split(count)
        let left = try hash(range.lowerBound..<middle)
        let right = try hash(middle..<range.upperBound)
        do { return try MerkleTree.nodeHash(left, right) } catch { throw .crypto(error) }
    }

    private static func split(_ n: Int) -> Int {
        var k = 1
        while k << 1 < n { k <<= 1 }
        return k
    }

    private func path(_ m: Int, _ range: Range<Int>) throws(CountLogError) -> [[UInt8]] {
        guard range.count > 1 else { return [] }
        let middle = range.lowerBound + Self.split(range.count)
        if range.lowerBound + m < middle {
            return try path(m, range.lowerBound..<middle) + [hash(middle..<range.upperBound)]
        }
        return try path(m - (middle - range.lowerBound), middle..<range.upperBound) + [hash(range.lowerBound..<middle)]
    }

    private func subproof(_ m: Int, _ range: Range<Int>, complete: Bool) throws(CountLogError) -> [[UInt8]] {
        if m == range.count { return complete ? [] : [try hash(range)] }
        let k = Self.split(range.count)
        let middle = range.lowerBound + k
        if m <= k {
            return try subproof(m, range.lowerBound..<middle, complete: complete) + [hash(middle..<range.upperBound)]
        }
        return try subproof(m - k, middle..<range.upperBound, complete: false) + [hash(range.lowerBound..<middle)]
    }

    private func outOfRange(_ what: String) -> CountLogError {
        CountLogError(.outOfRange, reason: "\(what) lies outside the tree of \(size) entries the tiles were fetched for")
    }
}
