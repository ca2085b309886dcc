import GRDB

/// Group commit for SQLite's single writer: write jobs that arrive while a transaction is being committed
/// wait and are then run together in the next transaction, each inside its own savepoint.
///
/// So N concurrent confirmations cost one fsync instead of N, while each job keeps its own all-or-nothing
/// behaviour: a job that throws rolls back its savepoint only, and the others commit. A job's result is
/// handed back only after the transaction holding it has committed, so an acknowledged write is durable.
actor GroupCommitWriter {
    private struct Job: Sendable {
        /// Runs the job's statements; returns the closure that delivers its result once committed.
        let run: @Sendable (Database) -> @Sendable () -> Void
        let fail: @Sendable (any Error) -> Void
    }

    private let pool: DatabasePool
    private let maximumBatch: Int
    private var queue: [Job] = []
    private var draining = false

    init(pool: DatabasePool, maximumBatch: Int = 256) {
        self.pool = pool
        self.maximumBatch = maximumBatch
    }

    /// Runs `body` in the next group transaction and returns its result after that transaction commits.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            queue.append(Job(
                run: { db in
                    var outcome: Result<T, any Error> = .failure(CancellationError())
                    do {
                        try db.inSavepoint {
                            outcome = .success(try body(db))
                            return .commit
                        }
                    } catch {
                        outcome = .failure(error)
                    }
                    let result = outcome
                    return { continuation.resume(with: result) }
                },
                fail: { continuation.resume(throwing: $0) }))
            if !draining {
                draining = true
                Task { await drain() }
            }
        }
    }

    private func drain() async {
        while !queue.isEmpty {
            let batch = Array(queue.prefix(maximumBatch))
            queue.removeFirst(batch.count)
            do {
                let deliveries = try await pool.write { db in batch.map { $0.run(db) } }
                deliveries.forEach { $0() }
            } catch {
                batch.forEach { $0.fail(error) }
            }
        }
        draining = false
    }
}
