import CountersignCore
import PostgresNIO

/// The TLS of a PostgreSQL connection, from the URL's `sslmode` (and `sslrootcert`), with libpq's meanings:
/// - `disable`: plain TCP;
/// - `prefer`: TLS when the server offers it, without checking its certificate;
/// - `require`: TLS or no connection, without checking the certificate (it stops a passive eavesdropper only),
///   unless `sslrootcert` is given: then, as in libpq, the certificate must chain to it (`verify-ca`), so an operator
///   who names a CA is never silently left unchecked;
/// - `verify-full`: TLS with a certificate that chains to `sslrootcert` (or the system's roots) and names the host.
///
/// Without `sslmode`, a loopback host gets `prefer` and any other `require`: a database across a network is never
/// reached in clear by default.
enum PostgresTLS {
    static func configuration(host: String, sslmode: String?, rootCertificate: String?) throws(StoreError) -> PostgresClient.Configuration.TLS {
        let mode = sslmode ?? (Loopback.contains(host: host) ? "prefer" : "require")
        var unverified = TLSConfiguration.makeClientConfiguration()
        unverified.certificateVerification = .none
        switch mode {
        case "disable":
            return .disable
        case "prefer":
            return .prefer(unverified)
        case "require":
            guard let rootCertificate else { return .require(unverified) }
            var chained = TLSConfiguration.makeClientConfiguration()
            chained.certificateVerification = .noHostnameVerification
            chained.trustRoots = .file(rootCertificate)
            return .require(chained)
        case "verify-full":
            var verified = TLSConfiguration.makeClientConfiguration()
            verified.certificateVerification = .fullVerification
            if let rootCertificate { verified.trustRoots = .file(rootCertificate) }
            return .require(verified)
        default:
            throw StoreError(.unavailable, "sslmode=\(mode) is not one Countersign takes; use disable, prefer, require or verify-full (with sslrootcert=PATH)")
        }
    }
}
