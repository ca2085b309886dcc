import CountersignCore
import CountersignCrypto
import Foundation
import NIOCore
import Synchronization

/// The one place a client's network gets a name: the rate limit (``NetworkRateLimiter``) and the trend counts
/// (``TrendMonitor``) both know a network only by the ``NetworkID`` made here, also while the rate limit is off.
///
/// The network is the IPv4 /24 (also of an IPv4-mapped IPv6 address) or the IPv6 /64 of the real client address (behind
/// trusted proxies, ``TrustedProxies``), and its id is
/// `HMAC-SHA256(K_day, "countersign/network/v1" ‖ 0x00 ‖ family ‖ prefix)`, truncated to 16 bytes, under a random key
/// made in memory each UTC day and never written anywhere. Without the key, an id cannot be turned back into a prefix,
/// and ids of two days cannot be joined.
public final class NetworkIdentifier: Sendable {
    private static let label = Array("countersign/network/v1".utf8) + [0]
    private let key = Mutex<(day: String, hmac: HMACSHA256)?>(nil)

    public init() {}

    /// The id of `address`'s network on `date`'s UTC day; every unknown address shares one id.
    public func id(of address: SocketAddress?, at date: Date = Date()) throws(CryptoError) -> NetworkID {
        let prefix = Self.networkPrefix(address)
        let day = UTCDay.of(date)
        let hmac = try key.withLock { key throws(CryptoError) -> HMACSHA256 in
            if let key, key.day == day { return key.hmac }
            let fresh = try HMACSHA256(key: SecretBytes.random(count: 32))
            key = (day, fresh)
            return fresh
        }
        return NetworkID(bytes: Array(try hmac.authenticate(Self.label, prefix).prefix(16)))
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
