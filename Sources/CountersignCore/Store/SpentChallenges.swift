import Foundation
import Synchronization

/// Spent challenges in memory, for the stores of one process. Two generations turn over every challenge lifetime: a
/// challenge is spent before it expires, at most one lifetime after it was issued, so a generation older than one
/// lifetime holds only expired challenges and is dropped whole, without a scan. A generation holds at most
/// ``capacity`` challenges, each known by the first 16 bytes of its digest; past that a spend is refused as a replay
/// would be, so a flood cannot grow the table (at 2,000,000 a generation, under 100 MB).
public final class SpentChallenges: Sendable {
    private struct State {
        var current: Set<UInt128> = []
        var previous: Set<UInt128> = []
        var turnedOver = Date.distantPast
    }

    public let capacity: Int
    private let lifetime: TimeInterval
    private let state = Mutex(State())

    public init(capacity: Int = 2_000_000, lifetime: Duration = ProofOfWorkAuthority.lifetime) {
        self.capacity = capacity
        self.lifetime = TimeInterval(lifetime.components.seconds)
    }

    public func spend(_ spent: SpentChallenge, at date: Date) -> Bool {
        state.withLock { state in
            if date.timeIntervalSince(state.turnedOver) >= lifetime {
                // What `previous` held was spent before the last turn-over, at least one lifetime ago: all expired.
                state.previous = state.current
                state.current = []
                state.turnedOver = date
            }
            let key = spent.digest.prefix(16).reduce(UInt128(0)) { $0 << 8 | UInt128($1) }
            guard !state.previous.contains(key), state.current.count < capacity else { return false }
            return state.current.insert(key).inserted
        }
    }
}
