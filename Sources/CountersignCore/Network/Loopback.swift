/// Whether a host is this machine's loopback, where only local processes can connect: `localhost`, an address in
/// 127.0.0.0/8, or `::1` (bracketed or not). The one rule behind every "only off loopback" default: log mail, STARTTLS
/// for SMTP, TLS for PostgreSQL.
public enum Loopback {
    public static func contains(host: String) -> Bool {
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        if bare.lowercased() == "localhost" || bare == "::1" || bare == "0:0:0:0:0:0:0:1" { return true }
        let octets = bare.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets.first == "127"
            && octets.allSatisfy { !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(\.isASCII) && UInt8($0) != nil }
    }
}
