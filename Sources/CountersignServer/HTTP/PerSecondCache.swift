import Foundation
import Synchronization

/// Values computed at most once per wall-clock second per key: the petition count that thousands of clients poll
/// during a surge is read from the store once a second, not once a request. A value is at most a second old.
///
/// Only keys whose computation found something are kept (a petition that exists), so the table is bounded by the
/// number of petitions; an unknown slug is computed afresh each time and never stored.
final class PerSecondCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private let entries = Mutex<[Key: (second: Int64, value: Value)]>([:])

    /// The value for `key` computed during this second, or a fresh one from `compute`.
    func value<E: Error>(for key: Key, now: Date = Date(), compute: () async throws(E) -> Value?) async throws(E) -> Value? {
        let second = Int64(now.timeIntervalSince1970.rounded(.down))
        if let entry = entries.withLock({ $0[key] }), entry.second == second { return entry.value }
        guard let value = try await compute() else { return nil }
        entries.withLock { $0[key] = (second, value) }
        return value
    }
}
