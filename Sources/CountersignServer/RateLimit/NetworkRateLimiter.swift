import CountersignCore
import CountersignCrypto
import Foundation
import NIOCore
import Synchronization

/// Per-network limits on requests that send mail, as e-petitions does: a burst and a sustained rate per
/// IPv4 /24 or IPv6 /64.
///
/// Nothing identifying is kept: a network is known only by `HMAC-SHA256(K_day, "countersign/ratelimit/v1" ‖
/// 0x00 ‖ family ‖ prefix)`, truncated to 16 bytes, under a random key made in memory each UTC day; at the
/// change of day the key and every bucket are dropped. Nothing is written anywhere.
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
        var key: HMACSHA256?
        var current: [[UInt8]: Bucket] = [:]
        var previous: [[UInt8]: Bucket] = [:]
        var turnedOver = Date.distantPast
    }

    public let policy: Policy
    /// The most networks one generation tracks.
    public let capacity: Int
    private static let label = Array("countersign/ratelimit/v1".utf8) + [0]
    private let state = Mutex(State())

    public init(policy: Policy, capacity: Int = 500_000) {
        self.policy = policy
        self.capacity = capacity
    }

    /// How many networks the table holds now, in both generations.
    public var trackedNetworks: Int { state.withLock { $0.current.count + $0.previous.count } }

    /// Takes one request from the bucket of `address`'s network; returns the seconds to wait when it is
    /// empty, or `nil` when the request may go ahead. An unknown address shares one bucket.
    public func acquire(_ address: SocketAddress?, at date: Date = Date()) throws -> TimeInterval? {
        let prefix = Self.networkPrefix(address)
        return try state.withLock { state throws -> TimeInterval? in
            let day = UTCDay.of(date)
            if state.day != day || state.key == nil {
                state = State(day: day, key: try HMACSHA256(key: SecretBytes.random(count: 32)))
            }
            guard let key = state.key else { return nil }
            if date.timeIntervalSince(state.turnedOver) >= policy.burst * 3600 / policy.perHour {
                state.previous = state.current
                state.current = [:]
                state.turnedOver = date
            }
            let id = Array(try key.authenticate(Self.label, prefix).prefix(16))
            guard var bucket = state.current[id] ?? state.previous.removeValue(forKey: id) ?? (state.current.count < capacity ? Bucket(tokens: policy.burst, updated: date) : nil)
            else { return nil }
            bucket.tokens = min(policy.burst, bucket.tokens + date.timeIntervalSince(bucket.updated) * policy.perHour / 3600)
            bucket.updated = date
            defer { state.current[id] = bucket }
            guard bucket.tokens >= 1 else { return (1 - bucket.tokens) * 3600 / policy.perHour }
            bucket.tokens -= 1
            return nil
        }
    }

    /// Family byte and network prefix: the /24 of an IPv4 address (also when mapped into IPv6), the /64 of
    /// an IPv6 address, and nothing for an unknown one.
    static func networkPrefix(_ address: SocketAddress?) -> [UInt8] {
        switch address?.ipBytes {
        case let bytes? where bytes.count == 4: [4] + bytes.prefix(3)
        case let bytes?: [6] + bytes.prefix(8)
        case nil: [0]
        }
    }
}
