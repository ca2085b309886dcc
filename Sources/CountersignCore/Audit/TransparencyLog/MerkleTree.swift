import CountersignCrypto

/// The audit log's Merkle tree, as RFC 6962 §2.1 (RFC 9162 §2.1) defines it, so that any Certificate
/// Transparency tooling can check it:
///
///     leaf hash = SHA-256(0x00 ‖ entry)        node hash = SHA-256(0x01 ‖ left ‖ right)
///     MTH({}) = SHA-256()    MTH(D[0:n]) = node(MTH(D[0:k]), MTH(D[k:n])), k the largest power of 2 below n
///
/// Proof generation follows RFC 6962 §2.1.1–2.1.2; verification follows RFC 9162 §2.1.3.2 and §2.1.4.2.
public struct MerkleTree: Sendable {
    /// The leaf hashes, in log order.
    public private(set) var leaves: [[UInt8]] = []

    public init() {}

    public init(entries: [[UInt8]]) throws(CryptoError) {
        for entry in entries { try append(entry) }
    }

    public var size: Int { leaves.count }

    /// Appends an entry (its leaf hash is stored).
    public mutating func append(_ entry: [UInt8]) throws(CryptoError) {
        leaves.append(try Self.leafHash(entry))
    }

    public static func leafHash(_ entry: [UInt8]) throws(CryptoError) -> [UInt8] {
        try SHA256.hash([0x00], entry)
    }

    static func nodeHash(_ left: [UInt8], _ right: [UInt8]) throws(CryptoError) -> [UInt8] {
        try SHA256.hash([0x01], left, right)
    }

    /// The root of the first `size` leaves (the whole tree by default).
    public func root(size: Int? = nil) throws(CryptoError) -> [UInt8] {
        let size = min(max(size ?? leaves.count, 0), leaves.count)
        guard size > 0 else { return try SHA256.hash() }
        return try hash(leaves[0..<size])
    }

    /// The audit path of leaf `index` in the tree of the first `size` leaves (RFC 6962 §2.1.1); `nil` when
    /// the index or size lies outside the tree.
    public func inclusionProof(index: Int, size: Int) throws(CryptoError) -> [[UInt8]]? {
        guard index >= 0, index < size, size <= leaves.count else { return nil }
        return try path(index, leaves[0..<size])
    }

    /// The proof that the tree of `oldSize` leaves is a prefix of the tree of `newSize` (RFC 6962 §2.1.2);
    /// `nil` when the sizes lie outside the tree.
    public func consistencyProof(oldSize: Int, newSize: Int) throws(CryptoError) -> [[UInt8]]? {
        guard 0 < oldSize, oldSize <= newSize, newSize <= leaves.count else { return nil }
        return try subproof(oldSize, leaves[0..<newSize], complete: true)
    }

    /// Whether `proof` shows `leafHash` at `index` in the tree of `size` leaves with `root` (RFC 9162 §2.1.3.2).
    public static func verifyInclusion(leafHash: [UInt8], index: Int, size: Int, proof: [[UInt8]], root: [UInt8]) -> Bool {
        guard index >= 0, index < size else { return false }
        var fn = index
        var sn = size - 1
        var r = leafHash
        for p in proof {
            guard sn != 0, let next = try? (fn & 1 == 1 || fn == sn ? nodeHash(p, r) : nodeHash(r, p)) else { return false }
            if fn & 1 == 0 && fn == sn {
                while fn & 1 == 0 && fn != 0 {
                    fn >>= 1
                    sn >>= 1
                }
            }
            r = next
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 && ConstantTime.equals(r, root)
    }

    /// Whether `proof` shows the tree of `oldSize` leaves with `oldRoot` is a prefix of the tree of `newSize`
    /// leaves with `newRoot` (RFC 9162 §2.1.4.2).
    public static func verifyConsistency(
        oldSize: Int, newSize: Int, oldRoot: [UInt8], newRoot: [UInt8], proof: [[UInt8]]
    ) -> Bool {
        guard oldSize > 0, oldSize <= newSize else { return false }
        if oldSize == newSize { return proof.isEmpty && ConstantTime.equals(oldRoot, newRoot) }
        guard !proof.isEmpty else { return false }
        let path = oldSize & (oldSize - 1) == 0 ? [oldRoot] + proof : proof
        var fn = oldSize - 1
        var sn = newSize - 1
        while fn & 1 == 1 {
            fn >>= 1
            sn >>= 1
        }
        var fr = path[0]
        var sr = path[0]
        for c in path.dropFirst() {
            guard sn != 0 else { return false }
            do {
                if fn & 1 == 1 || fn == sn {
                    fr = try nodeHash(c, fr)
                    sr = try nodeHash(c, sr)
                    if fn & 1 == 0 {
                        while fn & 1 == 0 && fn != 0 {
                            fn >>= 1
                            sn >>= 1
                        }
                    }
                } else {
                    sr = try nodeHash(sr, c)
                }
            } catch {
                return false
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 && ConstantTime.equals(fr, oldRoot) && ConstantTime.equals(sr, newRoot)
    }

    // MARK: - RFC 6962 recursions

    private static func split(_ n: Int) -> Int {
        var k = 1
        while k << 1 < n { k <<= 1 }
        return k
    }

    private func hash(_ slice: ArraySlice<[UInt8]>) throws(CryptoError) -> [UInt8] {
        if slice.count == 1, let only = slice.first { return only }
        let k = Self.split(slice.count)
        let middle = slice.startIndex + k
        return try Self.nodeHash(hash(slice[..<middle]), hash(slice[middle...]))
    }

    private func path(_ m: Int, _ slice: ArraySlice<[UInt8]>) throws(CryptoError) -> [[UInt8]] {
        guard slice.count > 1 else { return [] }
        let k = Self.split(slice.count)
        let middle = slice.startIndex + k
        if m < k {
            return try path(m, slice[..<middle]) + [hash(slice[middle...])]
        }
        return try path(m - k, slice[middle...]) + [hash(slice[..<middle])]
    }

    private func subproof(_ m: Int, _ slice: ArraySlice<[UInt8]>, complete: Bool) throws(CryptoError) -> [[UInt8]] {
        if m == slice.count { return complete ? [] : [try hash(slice)] }
        let k = Self.split(slice.count)
        let middle = slice.startIndex + k
        if m <= k {
            return try subproof(m, slice[..<middle], complete: complete) + [hash(slice[middle...])]
        }
        return try subproof(m - k, slice[middle...], complete: false) + [hash(slice[..<middle])]
    }
}
