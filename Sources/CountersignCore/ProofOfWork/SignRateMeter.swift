import Foundation

/// Sign requests over the last minute, per key (a petition, a network), in memory only: two fixed one-minute windows,
/// the previous weighted by how much of it the sliding minute still covers. Keys untouched for two minutes are gone
/// at the next turn of the window, and a window holds at most ``capacity`` keys; past that, a new key is not counted and
/// reads as infinitely busy until the next turn, so a flood of new keys can neither grow the table nor hide a key.
public struct SignRateMeter<Key: Hashable & Sendable>: Sendable {
    public static var window: TimeInterval { 60 }
    public let capacity: Int
    private var current: [Key: Int] = [:]
    private var previous: [Key: Int] = [:]
    private var start = Date.distantPast

    public init(capacity: Int) {
        self.capacity = capacity
    }

    /// Counts one request for `key` at `date`, and returns the rate with it.
    public mutating func record(_ key: Key, at date: Date) -> Double {
        turn(at: date)
        guard current[key] != nil || current.count < capacity else { return .infinity }
        current[key, default: 0] += 1
        return rate(key, at: date)
    }

    /// The requests for `key` over the minute before `date`; infinite for a key the full window could not count.
    public func rate(_ key: Key, at date: Date) -> Double {
        let elapsed = date.timeIntervalSince(start)
        if current.count >= capacity, current[key] == nil, elapsed < Self.window { return .infinity }
        guard elapsed < 2 * Self.window else { return 0 }
        guard elapsed >= Self.window else {
            return Double(current[key] ?? 0) + Double(previous[key] ?? 0) * (1 - elapsed / Self.window)
        }
        // `current` ended less than a window ago and has not turned yet: it is the previous window now.
        return Double(current[key] ?? 0) * (1 - (elapsed - Self.window) / Self.window)
    }

    /// How many keys the meter holds.
    public var count: Int { current.count + previous.count }

    private mutating func turn(at date: Date) {
        let elapsed = date.timeIntervalSince(start)
        guard elapsed >= Self.window else { return }
        previous = elapsed < 2 * Self.window ? current : [:]
        current = [:]
        start = elapsed < 2 * Self.window ? start.addingTimeInterval(Self.window) : date
    }
}
