// sockaddr_in and sockaddr_in6 come from both Glibc and CNIOLinux (through NIOCore); which one the compiler names as
// their home varies, so both are imported.
#if canImport(Glibc)
import Glibc
#endif
import CNIOLinux
import NIOCore

extension SocketAddress {
    /// The address's bytes: 4 for IPv4 (also an IPv4-mapped IPv6 address), 16 for IPv6, `nil` for a Unix socket.
    var ipBytes: [UInt8]? {
        switch self {
        case .v4(let v4):
            return withUnsafeBytes(of: v4.address.sin_addr.s_addr) { Array($0) }
        case .v6(let v6):
            let bytes = withUnsafeBytes(of: v6.address.sin6_addr) { Array($0) }
            let mapped = bytes.prefix(10).allSatisfy { $0 == 0 } && bytes[10] == 0xff && bytes[11] == 0xff
            return mapped ? Array(bytes[12...]) : bytes
        default:
            return nil
        }
    }
}
