import CountersignCore
import CountersignCrypto
@testable import CountersignServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Prometheus
import Testing

@Suite("HEAD wherever GET")
struct HeadTests {
    /// A request for each route pattern: its parameters filled, and the query and credentials that make it do its work.
    static func request(for pattern: String, organizer: String, auditor: String) -> (uri: String, headers: HTTPFields)? {
        let queries = ["/api/petitions/{slug}/export": "?by=region", "/audit/proof/inclusion": "?index=0", "/audit/proof/consistency": "?old=1"]
        var uri = pattern.replacingOccurrences(of: "{slug}", with: APIFixture.slug.value).replacingOccurrences(of: "{token}", with: "some-token")
            .replacingOccurrences(of: "**", with: "0/000.p/1")
        guard !uri.contains("{"), !uri.contains("*") else { return nil }
        uri += queries[pattern] ?? ""
        let token = pattern == "/metrics" ? auditor : organizer
        return (uri, [.authorization: "Bearer \(token)", .cookie: "\(AccessControl.cookieName)=\(organizer)"])
    }

    /// The headers to compare: a CSRF cookie's value is random on each page, and its attributes come in any order, so
    /// only its name and its set of attributes count.
    static func comparable(_ headers: HTTPFields) -> [String: String] {
        var fields: [String: String] = [:]
        for field in headers {
            var value = field.value
            if field.name == .setCookie {
                let parts = value.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
                value = (parts.first?.split(separator: "=").first.map(String.init) ?? "") + "=…; " + parts.dropFirst().sorted().joined(separator: "; ")
            }
            fields[field.name.canonicalName] = value
        }
        return fields
    }

    @Test("every GET route answers HEAD with the GET's status and headers and no body, and the HEADs change nothing")
    func everyGetRoute() async throws {
        let (fixture, organizer, _, auditor) = try await OrganizerRoutesTests.seeded()
        let log = AuditLog(store: fixture.store, origin: AuditLog.origin(publicURL: "https://petitions.example.org"))
        let audit = CheckpointSigner(log: log, service: fixture.service, file: KeyringFile(directory: "/nonexistent"))
        let router = try await buildRouter(
            service: fixture.service, mail: fixture.queue, publicURL: "https://petitions.example.org", limiter: nil, audit: audit,
            metrics: PrometheusCollectorRegistry(), proofOfWork: ProofOfWorkPolicy(mode: .on), catalog: fixture.catalog)
        let patterns = router.routes.filter { $0.method == .get }.map(\.path.description)
        // The routes of every kind: pages, API, export, dashboard, badge, audit, count log, metrics.
        for expected in ["/", "/petitions/{slug}", "/petitions/{slug}/count.svg", "/api/challenge", "/pow.js", "/api/petitions/{slug}/export", "/organize/{slug}",
            "/audit/checkpoint", "/count/{slug}/tile/**", "/metrics"]
        {
            #expect(patterns.contains(expected), "\(expected) is not among \(patterns)")
        }
        try await Application(router: router).test(.router) { client in
            let entries = try await fixture.store.auditEntryCount()
            let aggregates = try await fixture.store.aggregates(APIFixture.slug)
            var heads: [String: TestResponse] = [:]
            for pattern in patterns {
                guard let (uri, headers) = Self.request(for: pattern, organizer: organizer, auditor: auditor) else {
                    Issue.record("no value for a parameter of \(pattern): teach HeadTests.request(for:) about it")
                    continue
                }
                let head = try await client.execute(uri: uri, method: .head, headers: headers)
                #expect(head.status != .notFound || pattern.contains("tile"), "HEAD \(uri) found no route")
                #expect(head.body.readableBytes == 0, "HEAD \(uri) has a body")
                heads[pattern] = head
            }
            #expect(try await fixture.store.releases(APIFixture.slug).isEmpty, "a HEAD of the export recorded a release")
            #expect(try await fixture.store.auditEntryCount() == entries)
            #expect(try await fixture.store.aggregates(APIFixture.slug) == aggregates)

            for pattern in patterns {
                guard let (uri, headers) = Self.request(for: pattern, organizer: organizer, auditor: auditor), let head = heads[pattern] else {
                    continue
                }
                let get = try await client.execute(uri: uri, method: .get, headers: headers)
                #expect(head.status == get.status, "\(uri)")
                var expected = Self.comparable(get.headers)
                if pattern == "/api/petitions/{slug}/export" {
                    // An export's HEAD leaves out the length of a table it did not release (OrganizerRoutes.download).
                    #expect(get.status == .ok && head.headers[.contentLength] == nil)
                    expected["content-length"] = nil
                }
                #expect(Self.comparable(head.headers) == expected, "\(uri)")
            }
            #expect(try await fixture.store.releases(APIFixture.slug).count == 1, "the control: the GET of the export records its release")
        }
    }
}
