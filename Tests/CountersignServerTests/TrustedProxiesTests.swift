@testable import CountersignServer
import HTTPTypes
import NIOCore
import Testing

@Suite("Trusted proxies")
struct TrustedProxiesTests {
    static let proxies = try! TrustedProxies(parsing: "10.0.0.0/8, fd00::/8, 192.0.2.1")

    static func address(_ text: String) -> SocketAddress { try! SocketAddress(ipAddress: text, port: 0) }

    @Test("CIDR lists: IPv4 and IPv6 networks and single hosts; anything else is refused")
    func parsing() throws {
        #expect(Self.proxies.contains(Self.address("10.200.3.4")))
        #expect(Self.proxies.contains(Self.address("fd12::1")))
        #expect(Self.proxies.contains(Self.address("192.0.2.1")))
        #expect(!Self.proxies.contains(Self.address("192.0.2.2")))
        #expect(!Self.proxies.contains(Self.address("11.0.0.1")))
        #expect(Self.proxies.contains(Self.address("::ffff:10.1.1.1")), "an IPv4-mapped address is its IPv4 address")
        #expect(throws: (any Error).self) { try TrustedProxies(parsing: "10.0.0.0/33") }
        #expect(throws: (any Error).self) { try TrustedProxies(parsing: "proxy.example.org") }
        #expect(!TrustedProxies.none.contains(Self.address("127.0.0.1")))
    }

    @Test("from a trusted proxy the client is the rightmost hop that is not a trusted proxy")
    func rightmostUntrusted() {
        let peer = Self.address("10.0.0.5")
        // The client forged the first hop; the proxies appended what they saw.
        let hops = ["6.6.6.6", "203.0.113.7", "10.1.1.1"]
        #expect(Self.proxies.client(peer: peer, hops: hops)?.ipAddress == "203.0.113.7")
        #expect(Self.proxies.client(peer: peer, hops: [])?.ipAddress == "10.0.0.5")
        #expect(Self.proxies.client(peer: peer, hops: ["10.2.2.2"])?.ipAddress == "10.2.2.2", "every hop trusted: the leftmost")
    }

    @Test("Forwarded: an element without for= stops the walk instead of letting the element before it count")
    func forwardedWithoutFor() throws {
        let name = try #require(HTTPField.Name("Forwarded"))
        var headers = HTTPFields()
        headers[name] = "for=203.0.113.7, proto=https;by=10.0.0.1"
        let hops = try #require(ClientAddressMiddleware.forwardedHops(headers))
        #expect(hops == ["203.0.113.7", ""])
        #expect(Self.proxies.client(peer: Self.address("10.0.0.5"), hops: hops)?.ipAddress == "10.0.0.5")
        headers[name] = #"for="[2001:db8::1]:4711";proto=https, for=198.51.100.2:80"#
        #expect(ClientAddressMiddleware.forwardedHops(headers) == ["2001:db8::1", "198.51.100.2"])
    }

    @Test("from any other peer the forwarding headers are ignored")
    func untrustedPeer() {
        let peer = Self.address("198.51.100.9")
        #expect(Self.proxies.client(peer: peer, hops: ["203.0.113.7"])?.ipAddress == "198.51.100.9")
    }
}
