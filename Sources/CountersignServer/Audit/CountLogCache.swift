import CountersignCore
import Synchronization

/// Each petition's count log as this instance last read it: its entries, every tile of that size (``TileLayout``) and
/// the checkpoint they make. A tile never changes once written (a log only grows, and a tile of a given width holds
/// the same hashes at every later size), so a tile this snapshot has is served from memory without asking the store;
/// only a request for something newer reads the log's size, and a log that grew reads only its new entries.
///
/// Clients compute every proof from tiles (``TiledTree``): the server does no work per proof, and per size only hashes
/// the leaves once. Memory: the entries of every petition's log (about 60 bytes a leaf) and their hashes.
final class CountLogCache: Sendable {
    /// A petition's count log at one size.
    struct Snapshot: Sendable {
        let layout: TileLayout
        let checkpoint: CountCheckpoint

        var size: Int { layout.size }
    }

    let store: any CountLogStore
    /// The audit log's origin, which count log origins extend (``CountCheckpoint/origin(auditOrigin:slug:)``).
    let auditOrigin: String
    private let snapshots = Mutex<[PetitionSlug: Snapshot]>([:])

    init(store: any CountLogStore, auditOrigin: String) {
        self.store = store
        self.auditOrigin = auditOrigin
    }

    /// The count log's origin for petition `slug`.
    func origin(_ slug: PetitionSlug) -> String {
        CountCheckpoint.origin(auditOrigin: auditOrigin, slug: slug.value)
    }

    /// The log at its current size: one small read of the size, and of the entries only when it grew. Throws
    /// ``StoreError`` (`unknownPetition` for a slug with no petition) or ``CountLogError`` (a stored leaf that does not parse).
    func current(_ slug: PetitionSlug) async throws -> Snapshot {
        let size = try await store.countEntryCount(slug)
        if let held = snapshots.withLock({ $0[slug] }), held.size >= size { return held }
        let held = snapshots.withLock { $0[slug] }?.layout.entries ?? []
        let entries = held + (try await store.countEntries(slug, held.count..<size))
        let snapshot = Snapshot(
            layout: try TileLayout(entries: entries), checkpoint: try CountCheckpoint(origin: origin(slug), entries: entries))
        // Two requests may have read concurrently: keep the larger log.
        return snapshots.withLock { snapshots in
            if let other = snapshots[slug], other.size >= snapshot.size { return other }
            snapshots[slug] = snapshot
            return snapshot
        }
    }

    /// The bytes of tile `path` of petition `slug`'s log, or `nil` when the log does not have it yet.
    func tile(_ slug: PetitionSlug, _ path: TilePath) async throws -> [UInt8]? {
        if let held = snapshots.withLock({ $0[slug] }), let bytes = try? held.layout.tile(path) { return bytes }
        do {
            return try await current(slug).layout.tile(path)
        } catch let error as CountLogError where error.code == .outOfRange {
            return nil
        }
    }
}
