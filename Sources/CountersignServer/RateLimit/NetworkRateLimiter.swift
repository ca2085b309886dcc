import CountersignCore
import Foundation
import Synchronization

/// Per-network limits on requests that send mail, as e-petitions does: a burst and a sustained rate per
/// IPv4 /24 or IPv6 /64.
///
/// Nothing identifying is kept: a network is known only by its ``NetworkID``, an HMAC of its prefix under a key made in
/// memory each UTC day (``NetworkIdentifier``); at the change of day every bucket is dropped, as the ids change with the
/// key. Nothing is written anywhere.
///
/// The table is bounded without ever being scanned: buckets live in two generations that turn over every refill
/// period (the time an empty bucket takes to fill). A bucket untouched for a whole generation is full again, so
/// dropping it loses nothing. A generation holds at most ``capacity`` networks; past that, a network not yet in the
/// table goes unlimited until the next turn-over rather than being refused, so that a surge of new networks is served
/// (`Docs/service.md`).
public final class NetworkRateLimiter: Sendable {
    /// `burst` requests at once, refilled at `perHour` an hour.
    public struct Policy: Sendable, Equatable {
        public var burst: Double
        public var perHour: Double

        public init(burst: Double, perHour: Double) {
            self.burst = burst
            self.perHour = perHour
        }

        /// 10 at once, 60 an hour per network: a household or office signs freely, a script does not.
        public static let `default` = Policy(burst: 10, perHour: 60)

        /// Parses `off`, or `BURST/PER_HOUR` such as `10/60`; `nil` means no limit.
        public static func parse(_ text: String) throws -> Policy? {
            if text == "off" { return nil }
            let parts = text.split(separator: "/")
            guard parts.count == 2, let burst = Double(parts[0]), let perHour = Double(parts[1]), burst >= 1, perHour > 0 else {
                throw ServerError("--rate-limit takes off or BURST/PER_HOUR, such as 10/60")
            }
            return Policy(burst: burst, perHour: perHour)
        }
    }

    private struct Bucket {
        var tokens: Double
        var updated: Date
    }

    private struct State {
        var day = ""
        var current: [NetworkID: Bucket] = [:]
        var previous: [NetworkID: Bucket] = [:]
        var turnedOver = Date.distantPast
    }

    public let policy: Policy
    /// The most networks one generation tracks.
    public let capacity: Int
    private let state = Mutex(State())

    public init(policy: Policy, capacity: Int = 500_000) {
        self.policy = policy
        self.capacity = capacity
    }

    /// How many networks the table holds now, in both generations.
    public var trackedNetworks: Int { state.withLock { $0.current.count + $0.previous.count } }

    /// Takes one request from the bucket of `network` (named on `date`'s day); returns the seconds to wait when it is
    /// empty, or `nil` when the request may go ahead.
    public func acquire(_ network: NetworkID, at date: Date = Date()) -> TimeInterval? {
        state.withLock { state -> TimeInterval? in
            let day = UTCDay.of(date)
            if state.day != day { state = State(day: day) }
            if date.timeIntervalSince(state.turnedOver) >= policy.burst * 3600 / policy.perHour {
                state.previous = state.current
                state.current = [:]
                state.turnedOver = date
            }
            let fresh = state.current.count < capacity ? Bucket(tokens: policy.burst, updated: date) : nil
            guard var bucket = state.current[network] ?? state.previous.removeValue(forKey: network) ?? fresh else { return nil }
            bucket.tokens = min(policy.burst, bucket.tokens + date.timeIntervalSince(bucket.updated) * policy.perHour / 3600)
            bucket.updated = date
            defer { state.current[network] = bucket }
            guard bucket.tokens >= 1 else { return (1 - bucket.tokens) * 3600 / policy.perHour }
            bucket.tokens -= 1
            return nil
        }
    }
}
