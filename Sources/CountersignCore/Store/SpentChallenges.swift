import Foundation
import Synchronization

/// Spent challenges in memory, for the stores of one process. Two generations turn over every challenge lifetime: a
/// challenge is spent before it expires, at most one lifetime after it was issued, so a generation older than one
/// lifetime holds only expired challenges and is dropped whole, without a scan. A generation holds at most
/// ``capacity`` challenges, each known by the first 16 bytes of its digest; past that a spend is refused as a replay
/// would be, so a flood cannot grow the table (at 2,000,000 a generation, under 100 MB).
///
/// Memory does not outlive the process: a challenge issued before this table was made is refused, so that a restart
/// does not let the solutions spent just before it be spent again (a signer whose page was open fetches a new one).
public final class SpentChallenges: Sendable {
    private struct State {
        var current: Set<UInt128> = []
        var previous: Set<UInt128> = []
        var turnedOver = Date.distantPast
    }

    public let capacity: Int
    private let lifetime: TimeInterval
    private let started: Date
    private let state = Mutex(State())

    public init(capacity: Int = 2_000_000, lifetime: Duration = ProofOfWorkAuthority.lifetime, started: Date = Date()) {
        self.capacity = capacity
        self.lifetime = TimeInterval(lifetime.components.seconds)
        // Challenges carry whole seconds.
        self.started = Date(timeIntervalSince1970: started.timeIntervalSince1970.rounded(.down))
    }

    public func spend(_ spent: SpentChallenge, at date: Date) -> Bool {
        state.withLock { state in
            if date.timeIntervalSince(state.turnedOver) >= lifetime {
                // What `previous` held was spent before the last turn-over, at least one lifetime ago: all expired.
                state.previous = state.current
                state.current = []
                state.turnedOver = date
            }
            // Issued before this process, or expired by the last turn-over (made by a request whose time was read after
            // `date`): either may have been spent where this table cannot see it.
            guard spent.expires.timeIntervalSince(started) >= lifetime, spent.expires > state.turnedOver else { return false }
            let key = spent.digest.prefix(16).reduce(UInt128(0)) { $0 << 8 | UInt128($1) }
            guard !state.previous.contains(key), state.current.count < capacity else { return false }
            return state.current.insert(key).inserted
        }
    }
}
