import CountersignServer
import Foundation
import NIOCore
import Testing

@Suite("Network rate limiter")
struct NetworkRateLimiterTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)
    let networks = NetworkIdentifier()

    /// One request from `address` to `limiter`, `seconds` after ``start``.
    func acquire(_ limiter: NetworkRateLimiter, _ address: SocketAddress, after seconds: TimeInterval = 0) throws -> TimeInterval? {
        let date = start.addingTimeInterval(seconds)
        return limiter.acquire(try networks.id(of: address, at: date), at: date)
    }

    @Test("one /24 shares a bucket; another /24 has its own; the bucket refills at the sustained rate")
    func ipv4() throws {
        let limiter = NetworkRateLimiter(policy: .init(burst: 2, perHour: 3600))
        let a1 = try SocketAddress(ipAddress: "198.51.100.7", port: 1)
        let a2 = try SocketAddress(ipAddress: "198.51.100.200", port: 2)
        let b = try SocketAddress(ipAddress: "198.51.101.7", port: 1)
        #expect(try acquire(limiter, a1) == nil)
        #expect(try acquire(limiter, a2) == nil)
        #expect(try acquire(limiter, a1) != nil)
        #expect(try acquire(limiter, b) == nil)
        #expect(try acquire(limiter, a2, after: 1) == nil)
    }

    @Test("IPv6 is limited per /64, and an IPv4-mapped address counts as its IPv4 /24")
    func ipv6() throws {
        let limiter = NetworkRateLimiter(policy: .init(burst: 1, perHour: 1))
        #expect(try acquire(limiter, SocketAddress(ipAddress: "2001:db8:1:2::1", port: 1)) == nil)
        #expect(try acquire(limiter, SocketAddress(ipAddress: "2001:db8:1:2:ffff::9", port: 1)) != nil)
        #expect(try acquire(limiter, SocketAddress(ipAddress: "2001:db8:1:3::1", port: 1)) == nil)
        #expect(try acquire(limiter, SocketAddress(ipAddress: "192.0.2.1", port: 1)) == nil)
        #expect(try acquire(limiter, SocketAddress(ipAddress: "::ffff:192.0.2.99", port: 1)) != nil)
    }

    @Test("a network's id is the same all day for every address in its /24, and another the next day")
    func networkIDs() throws {
        let a = try networks.id(of: SocketAddress(ipAddress: "198.51.100.7", port: 1), at: start)
        #expect(a == (try networks.id(of: SocketAddress(ipAddress: "198.51.100.250", port: 9), at: start.addingTimeInterval(60))))
        #expect(a != (try networks.id(of: SocketAddress(ipAddress: "198.51.101.7", port: 1), at: start)))
        #expect(a != (try networks.id(of: SocketAddress(ipAddress: "198.51.100.7", port: 1), at: start.addingTimeInterval(86_400))))
        #expect(a.bytes.count == 16 && a.description.count == 32)
        #expect(try NetworkIdentifier().id(of: nil, at: start) != a, "an unknown address has an id of its own")
    }

    @Test("a new UTC day starts with a new key and full buckets")
    func dailyReset() throws {
        let limiter = NetworkRateLimiter(policy: .init(burst: 1, perHour: 0.001))
        let address = try SocketAddress(ipAddress: "203.0.113.5", port: 1)
        #expect(try acquire(limiter, address) == nil)
        #expect(try acquire(limiter, address) != nil)
        #expect(try acquire(limiter, address, after: 86_400) == nil)
    }

    @Test("the table keeps two generations: a network idle for a whole refill period is dropped, full, and memory stays bounded")
    func boundedTable() throws {
        // Refill period: 2 × 3600 / 360 = 20 s; 0.1 request a second.
        let limiter = NetworkRateLimiter(policy: .init(burst: 2, perHour: 360), capacity: 100)
        let busy = try SocketAddress(ipAddress: "198.51.100.7", port: 1)
        #expect(try acquire(limiter, busy) == nil)
        #expect(try acquire(limiter, busy, after: 15) == nil)
        #expect(try acquire(limiter, busy, after: 15) == nil)
        #expect(try acquire(limiter, busy, after: 15) != nil, "the bucket is empty")
        // After the turn-over at 20 s the bucket, 0.6 full, is carried into the new generation, not made anew.
        #expect(try acquire(limiter, busy, after: 21) != nil)
        // Three hundred networks in one generation: the table holds at most its capacity of new ones.
        for n in 0..<300 {
            _ = try acquire(limiter, SocketAddress(ipAddress: "10.\(n / 256).\(n % 256).1", port: 1), after: 22)
        }
        #expect(limiter.trackedNetworks <= 200)
        // Past the capacity a new network goes unlimited rather than refused.
        let late = try SocketAddress(ipAddress: "192.0.2.1", port: 1)
        for _ in 0..<5 { #expect(try acquire(limiter, late, after: 22) == nil) }
        // Two idle turn-overs later everything is gone.
        _ = try acquire(limiter, late, after: 45)
        _ = try acquire(limiter, late, after: 70)
        #expect(limiter.trackedNetworks == 1)
    }

    @Test("--rate-limit parses off and BURST/PER_HOUR, and refuses anything else")
    func parse() throws {
        #expect(try NetworkRateLimiter.Policy.parse("off") == nil)
        #expect(try NetworkRateLimiter.Policy.parse("10/60") == .init(burst: 10, perHour: 60))
        #expect(throws: (any Error).self) { try NetworkRateLimiter.Policy.parse("ten") }
        #expect(throws: (any Error).self) { try NetworkRateLimiter.Policy.parse("0/60") }
    }
}
