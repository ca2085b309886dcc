import CountersignCore
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// One GET of a service's public route, as an auditor or a receipt holder makes it: an http(s) base URL, a 200 OK or
/// a typed error, and an ephemeral session, so that no cache on the verifier's disk keeps what was fetched (which log,
/// which petition, which epoch).
enum PublicRoute {
    private static let session = URLSession(configuration: .ephemeral)

    /// The body of `GET base + path`, such as `https://petitions.example.org` and `/audit/checkpoint`.
    static func get(base: String, path: String) async throws -> Data {
        let trimmed = base.hasSuffix("/") ? String(base.dropLast()) : base
        guard let url = URL(string: trimmed + path), ["http", "https"].contains(url.scheme) else {
            throw AuditFetchError(
                .notHTTPURL, reason: "\(base) is not an http(s) URL; give the service's base URL, such as https://petitions.example.org")
        }
        let (data, response) = try await session.data(from: url)
        guard let status = (response as? HTTPURLResponse)?.statusCode, status == 200 else {
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
            throw AuditFetchError(.notOK, reason: "GET \(url) answered \(status), not 200 OK; is this a Countersign service?")
        }
        return data
    }
}
