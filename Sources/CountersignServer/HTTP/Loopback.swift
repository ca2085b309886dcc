import NIOCore

/// Whether a host name or address is this machine's loopback, where nothing but local processes can connect.
enum Loopback {
    static func contains(host: String) -> Bool {
        if host == "localhost" { return true }
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        guard let bytes = (try? SocketAddress(ipAddress: bare, port: 0))?.ipBytes else { return false }
        return bytes.count == 4 ? bytes[0] == 127 : bytes == Array(repeating: 0, count: 15) + [1]
    }
}
