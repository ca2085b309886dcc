import CountersignCore
@testable import CountersignServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Prometheus
import Testing

@Suite("Bearer tokens for organizers and auditors")
struct AccessControlTests {
    @Test("/metrics answers 401 without a token or with a revoked one, 403 to an organizer, 200 to an auditor")
    func metricsNeedsAuditor() async throws {
        let fixture = try await APIFixture()
        let (auditor, auditorToken) = try AccessToken.generate(role: .auditor, petition: nil, now: Date())
        let (organizer, organizerToken) = try AccessToken.generate(role: .organizer, petition: nil, now: Date())
        try await fixture.store.createAccessToken(auditorToken)
        try await fixture.store.createAccessToken(organizerToken)
        let router = try await buildRouter(
            service: fixture.service, mail: fixture.queue, publicURL: "https://petitions.example.org", limiter: nil,
            metrics: PrometheusCollectorRegistry())
        try await Application(router: router).test(.router) { client in
            func status(_ headers: HTTPFields) async throws -> HTTPResponse.Status {
                try await client.execute(uri: "/metrics", method: .get, headers: headers).status
            }
            let missing = try await client.execute(uri: "/metrics", method: .get)
            #expect(missing.status == .unauthorized)
            #expect(missing.headers[.wwwAuthenticate] == "Bearer realm=\"countersign\"")
            #expect(try await status([.authorization: "Bearer cst_not-a-real-token"]) == .unauthorized)
            #expect(try await status([.authorization: "Basic \(auditor)"]) == .unauthorized)
            #expect(try await status([.authorization: "Bearer \(organizer)"]) == .forbidden)
            #expect(try await status([.authorization: "Bearer \(auditor)"]) == .ok)
            #expect(try await status([.cookie: "\(AccessControl.cookieName)=\(auditor)"]) == .ok)
            _ = try await fixture.store.revokeAccessToken(id: auditorToken.id, at: Date())
            #expect(try await status([.authorization: "Bearer \(auditor)"]) == .unauthorized)
        }
    }
}
