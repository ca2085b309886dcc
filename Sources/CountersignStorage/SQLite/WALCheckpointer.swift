import Foundation
import GRDB
import Synchronization

/// Copies the WAL back into the database file from a connection of its own, so that the group-commit writer does not.
///
/// SQLite's automatic checkpoint runs in the connection that commits, and a checkpoint syncs the WAL and the database
/// file: with it, the writer stopped every thousand pages for writes and an fsync that no signer needed to wait for
/// (`Benchmarks/store.md`). Here the writer only nudges after each commit, and at most one `PASSIVE` checkpoint runs at
/// a time, at most every ``interval``, on this connection's own queue. A passive checkpoint takes no lock that writers
/// or readers wait for.
///
/// The writer keeps an automatic checkpoint at ``fallbackPages`` (40 MB of WAL), far above what this one lets grow, in
/// case it ever falls behind: the WAL stays bounded either way. Durability is unchanged: a checkpoint moves only
/// committed pages.
final class WALCheckpointer: Sendable {
    /// The least time between two checkpoints' starts.
    static let interval: Duration = .milliseconds(100)
    /// The writer's own automatic checkpoint, should this one fall behind: 10,000 pages.
    static let fallbackPages = 10_000

    private let connection: DatabaseQueue
    /// When the last checkpoint started, and whether one runs.
    private let state = Mutex<(last: ContinuousClock.Instant?, running: Bool)>((nil, false))

    init(path: String, configuration: Configuration) throws {
        connection = try DatabaseQueue(path: path, configuration: configuration)
    }

    /// After a commit: starts a checkpoint unless one runs or one started less than ``interval`` ago.
    func nudge() {
        let now = ContinuousClock.now
        let start = state.withLock { state in
            guard !state.running, state.last.map({ now - $0 >= Self.interval }) ?? true else { return false }
            state = (now, true)
            return true
        }
        guard start else { return }
        connection.asyncWriteWithoutTransaction { [self] db in
            // A checkpoint that fails (a reader holding the WAL, a busy file) is retried at the next nudge; nothing is lost.
            _ = try? db.checkpoint(.passive)
            self.state.withLock { $0.running = false }
        }
    }
}
