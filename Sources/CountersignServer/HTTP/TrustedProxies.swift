import Foundation
import NIOCore

/// The reverse proxies whose forwarding headers are believed (`--trusted-proxies CIDR[,CIDR…]`), and the rule that
/// finds the client behind them.
///
/// From a trusted peer, the client is the rightmost hop of `X-Forwarded-For` (or of `Forwarded: for=`) that is not
/// itself a trusted proxy: each proxy appends the address it saw, so the hops to the right of the client were written
/// by proxies we trust, and everything to its left was written by the client and proves nothing. From any other peer,
/// the headers are ignored.
public struct TrustedProxies: Sendable, Equatable {
    struct Network: Sendable, Equatable {
        /// 4 or 16 bytes.
        let bytes: [UInt8]
        let prefixLength: Int

        func contains(_ address: [UInt8]) -> Bool {
            guard address.count == bytes.count else { return false }
            for index in 0..<bytes.count {
                let bits = min(8, max(0, prefixLength - index * 8))
                let mask: UInt8 = bits == 0 ? 0 : ~UInt8(0) << (8 - bits)
                if address[index] & mask != bytes[index] & mask { return false }
            }
            return true
        }
    }

    let networks: [Network]

    /// No proxy is trusted: forwarding headers are always ignored.
    public static let none = TrustedProxies(networks: [])

    init(networks: [Network]) {
        self.networks = networks
    }

    /// Parses `CIDR[,CIDR…]`, such as `10.0.0.0/8,fd00::/8`; an address without a prefix length is one host.
    public init(parsing text: String) throws {
        networks = try text.split(separator: ",").map { item in
            let parts = item.trimmingCharacters(in: .whitespaces).split(separator: "/", maxSplits: 1)
            guard let first = parts.first, let bytes = Self.bytes(of: String(first)) else {
                throw ServerError("--trusted-proxies takes CIDR[,CIDR…], such as 10.0.0.0/8,fd00::/8; \(item) is not one")
            }
            let length = parts.count == 2 ? Int(parts[1]) : bytes.count * 8
            guard let length, (0...(bytes.count * 8)).contains(length) else {
                throw ServerError("--trusted-proxies: the prefix length of \(item) must be 0 to \(bytes.count * 8)")
            }
            return Network(bytes: bytes, prefixLength: length)
        }
    }

    /// Whether `address` is one of the trusted proxies.
    public func contains(_ address: SocketAddress?) -> Bool {
        guard let bytes = address?.ipBytes else { return false }
        return networks.contains { $0.contains(bytes) }
    }

    /// The client address of a request from `peer` carrying the forwarding `hops` (oldest first, as in the headers).
    public func client(peer: SocketAddress?, hops: [String]) -> SocketAddress? {
        guard contains(peer) else { return peer }
        var client = peer
        for hop in hops.reversed() {
            guard let address = try? SocketAddress(ipAddress: hop, port: 0) else { return client }
            client = address
            guard contains(address) else { return address }
        }
        return client
    }

    static func bytes(of text: String) -> [UInt8]? {
        (try? SocketAddress(ipAddress: text, port: 0))?.ipBytes
    }
}
