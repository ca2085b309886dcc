import CountersignCore
import Foundation

/// Fetches a petition's count log from a running service over C2SP tlog-tiles (`GET /count/SLUG/checkpoint`,
/// `/count/SLUG/tile/L/N[.p/W]`, `/count/SLUG/tile/entries/N[.p/W]`) and the logged count its API serves
/// (`GET /api/petitions/SLUG`, fields `loggedCount` and `logSize`). It returns what it fetched as a
/// ``CountLogSnapshot``; ``CountVerifier`` and ``ReceiptVerifier`` in the core check it.
///
/// For a receipt it never asks for one leaf: it finds the receipt's epoch by a binary search over entry bundles (every
/// leaf names its epoch), then fetches every bundle from the one before the epoch to the end of the log, so the service
/// learns the epoch and nothing finer.
public struct CountFetcher: Sendable {
    /// Answers `GET path` (a path from the service's root, such as `/count/SLUG/checkpoint`) with the body of a 200
    /// OK, or throws.
    public typealias Get = @Sendable (_ path: String) async throws -> [UInt8]

    /// The petition.
    public let slug: String
    private let get: Get
    /// How many requests are in flight at once while fetching tiles.
    private let parallel = 8

    /// A fetcher over `get`, such as a log served from memory in tests.
    public init(slug: String, get: @escaping Get) {
        self.slug = slug
        self.get = get
    }

    /// A fetcher of the service at `base`, such as `https://petitions.example.org`, over HTTP(S).
    public init(base: String, slug: String) {
        self.init(slug: slug) { path in Array(try await PublicRoute.get(base: base, path: path)) }
    }

    private var prefix: String { "/count/\(slug)/" }

    /// The signed count checkpoint, verbatim.
    public func checkpoint() async throws -> String {
        String(decoding: try await get(prefix + "checkpoint"), as: UTF8.self)
    }

    /// The logged count the API serves beside the live count, or `nil` if it serves none yet (before the first epoch).
    public func servedCount() async throws -> CountVerifier.ServedCount? {
        struct Petition: Decodable {
            let loggedCount: Int?
            let logSize: Int?
        }
        let petition: Petition
        do {
            petition = try JSONDecoder().decode(Petition.self, from: Data(try await get("/api/petitions/\(slug)")))
        } catch let error as AuditFetchError {
            throw error
        } catch {
            throw AuditFetchError(.notOK, reason: "GET /api/petitions/\(slug) did not answer a JSON object: is \(slug) a petition of this service?")
        }
        guard let count = petition.loggedCount, let size = petition.logSize else { return nil }
        return CountVerifier.ServedCount(count: count, size: size)
    }

    /// The whole log, for `count verify`: the checkpoint, every hash tile and every entry bundle of its size.
    public func wholeLog() async throws -> CountLogSnapshot {
        let checkpoint = try await checkpoint()
        let size = CountLogSnapshot.size(of: checkpoint)
        let fetched = try await fetchAll(TileLayout.paths(size: size) + TileLayout.bundlePaths(size: size))
        return Self.snapshot(checkpoint: checkpoint, size: size, fetched: fetched)
    }

    /// What `receipt verify` needs for a receipt of `epoch`: the checkpoint, the entry bundles from the one before the
    /// epoch to the end, and the tiles over them (``CountLogSnapshot/receiptTilePaths(size:firstBundle:previousSize:)``).
    ///
    /// - Parameter previousSize: the size of the checkpoint seen last time, whose consistency is checked.
    /// - Returns: the snapshot, and the index of the first bundle fetched.
    public func receiptLog(epoch: Int, previousSize: Int?) async throws -> (snapshot: CountLogSnapshot, firstBundle: Int) {
        let checkpoint = try await checkpoint()
        let size = CountLogSnapshot.size(of: checkpoint)
        let bundles = TileLayout.bundlePaths(size: size)
        var probed: [TilePath: [UInt8]] = [:]
        // The first bundle whose last leaf is of the epoch or later; a bundle that does not parse counts as later, so
        // that it lands among the bundles fetched and checked.
        var low = 0
        var high = bundles.count
        while low < high {
            let middle = (low + high) / 2
            let bytes = try await get(prefix + bundles[middle].path)
            probed[bundles[middle]] = bytes
            let last = (try? EntryBundle.decode(bytes))?.last.flatMap { try? CountEvent(entry: $0) }
            if let last, last.epoch < epoch { low = middle + 1 } else { high = middle }
        }
        let firstBundle = max(0, low - 1)
        let wanted = Array(bundles.dropFirst(firstBundle)).filter { probed[$0] == nil }
        let tiles = CountLogSnapshot.receiptTilePaths(size: size, firstBundle: firstBundle, previousSize: previousSize)
        let fetched = try await fetchAll(wanted + tiles).merging(probed.filter { $0.key.index >= firstBundle }) { fetched, _ in fetched }
        return (Self.snapshot(checkpoint: checkpoint, size: size, fetched: fetched), firstBundle)
    }

    private static func snapshot(checkpoint: String, size: Int, fetched: [TilePath: [UInt8]]) -> CountLogSnapshot {
        var tiles: [TilePath: [UInt8]] = [:]
        var bundles: [Int: [UInt8]] = [:]
        for (path, bytes) in fetched {
            if path.kind == .entries { bundles[path.index] = bytes } else { tiles[path] = bytes }
        }
        return CountLogSnapshot(checkpoint: checkpoint, size: size, tiles: tiles, bundles: bundles)
    }

    /// Fetches `paths` under the log's prefix, a few at a time.
    private func fetchAll(_ paths: [TilePath]) async throws -> [TilePath: [UInt8]] {
        let get = self.get
        let prefix = self.prefix
        return try await withThrowingTaskGroup(of: (TilePath, [UInt8]).self) { group in
            var pending = paths.makeIterator()
            for _ in 0..<parallel {
                guard let path = pending.next() else { break }
                group.addTask { (path, try await get(prefix + path.path)) }
            }
            var fetched: [TilePath: [UInt8]] = [:]
            while let (path, bytes) = try await group.next() {
                fetched[path] = bytes
                if let next = pending.next() { group.addTask { (next, try await get(prefix + next.path)) } }
            }
            return fetched
        }
    }
}
