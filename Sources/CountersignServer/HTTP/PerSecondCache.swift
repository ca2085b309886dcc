import Foundation
import Synchronization

/// Values computed at most once per wall-clock second per key: the petition count that thousands of clients poll
/// during a surge is read from the store once a second, not once a request.
///
/// One computation per key runs at a time. While it runs, other requests get the value computed before it, so a value
/// is at most a second old plus the time one computation takes; under a load that slows the store, polls do not pile
/// up one store read each. Only the first requests for a key, before any value exists, compute side by side. A
/// computation still running after ``stuckAfter`` seconds (a store that hangs) no longer holds the others back: the next
/// request computes again, so a value does not stay frozen behind it.
///
/// Only keys whose computation found something are kept (a petition that exists), so the table is bounded by the
/// number of petitions; an unknown slug is computed afresh each time and never stored.
final class PerSecondCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct Entry {
        var second: Int64
        var value: Value
        /// The second a computation of a newer value started, while it runs.
        var refreshing: Int64?
    }

    private let entries = Mutex<[Key: Entry]>([:])
    static var stuckAfter: Int64 { 10 }

    /// The value for `key` computed during this second, the previous one while a newer is being computed, or a fresh
    /// one from `compute`.
    func value<E: Error>(for key: Key, now: Date = Date(), compute: () async throws(E) -> Value?) async throws(E) -> Value? {
        let second = Int64(now.timeIntervalSince1970.rounded(.down))
        let cached: Value? = entries.withLock { entries in
            guard let entry = entries[key] else { return nil }
            if entry.second == second { return entry.value }
            if let started = entry.refreshing, second - started < Self.stuckAfter { return entry.value }
            entries[key]?.refreshing = second
            return nil
        }
        if let cached { return cached }
        let value: Value?
        do {
            value = try await compute()
        } catch {
            entries.withLock { $0[key]?.refreshing = nil }
            throw error
        }
        entries.withLock { entries in
            // A computation that outlived a newer one (stuck, then done) does not put its older value back.
            if let newer = entries[key], newer.second > second { return }
            if let value { entries[key] = Entry(second: second, value: value) } else { entries[key] = nil }
        }
        return value
    }
}
