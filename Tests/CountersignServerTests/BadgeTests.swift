import CountersignCore
@testable import CountersignServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("The count badge")
struct BadgeTests {
    static let path = "/petitions/\(APIFixture.slug.value)/count.svg"

    @Test("the badge is an SVG another site can embed: image/svg+xml, cached a second, Cross-Origin-Resource-Policy cross-origin")
    func embeddable() async throws {
        let fixture = try await APIFixture()
        try await fixture.test { client in
            let badge = try await client.execute(uri: Self.path, method: .get)
            #expect(badge.status == .ok)
            #expect(badge.headers[.contentType] == "image/svg+xml")
            #expect(badge.headers[.cacheControl] == "public, max-age=1")
            #expect(badge.headers[.crossOriginResourcePolicy] == "cross-origin")
            #expect(badge.headers[.xContentTypeOptions] == "nosniff")
            let svg = String(buffer: badge.body)
            #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
            #expect(svg.contains(">0 signatures</text>"))
            #expect(svg.contains("<title>Tell Amazon to cut all ties with police and ICE: 0 signatures</title>"))
            // Nothing a CSP could block: no script, no style, nothing fetched.
            for banned in ["<script", "style", "href", "url("] { #expect(!svg.contains(banned), "\(banned)") }

            let head = try await client.execute(uri: Self.path, method: .head)
            #expect(head.status == .ok && head.body.readableBytes == 0)
            #expect(head.headers[.contentLength] == String(badge.body.readableBytes))
            #expect(head.headers[.contentType] == "image/svg+xml")
        }
    }

    @Test("the badge's count follows the store within a second, in the pages' grammar")
    func follows() async throws {
        let fixture = try await APIFixture()
        try await fixture.test { client in
            try await OrganizerRoutesTests.confirm(fixture.store, count: 1, region: nil, day: 0, first: 0)
            #expect(try await Self.waitFor(">1 signature</text>", client))
            try await OrganizerRoutesTests.confirm(fixture.store, count: 1233, region: nil, day: 0, first: 1)
            #expect(try await Self.waitFor(">1,234 signatures</text>", client))
        }
    }

    @Test("a title is escaped, and control characters (which XML forbids) are left out")
    func escaped() async throws {
        let fixture = try await APIFixture()
        let slug = try PetitionSlug("tricky")
        try await fixture.store.createPetition(PetitionRecord(
            slug: slug, title: "<script>alert(\"x\")</script> & 'co'\u{1}\u{7}", text: "T", regions: [], salt: Array(repeating: 1, count: 16),
            wrappedKey: nil, createdAt: Date()))
        try await fixture.test { client in
            let svg = String(buffer: try await client.execute(uri: "/petitions/tricky/count.svg", method: .get).body)
            #expect(svg.contains("<title>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;: 0 signatures</title>"))
            #expect(!svg.contains("<script") && !svg.contains("\u{1}") && !svg.contains("\u{7}"))
        }
    }

    @Test("an unknown or malformed petition gets 404, for GET and HEAD")
    func unknown() async throws {
        let fixture = try await APIFixture()
        try await fixture.test { client in
            for path in ["/petitions/no-such-petition/count.svg", "/petitions/Not_A_Slug/count.svg"] {
                let get = try await client.execute(uri: path, method: .get)
                let head = try await client.execute(uri: path, method: .head)
                #expect(get.status == .notFound && head.status == .notFound, "\(path)")
            }
        }
    }

    /// Polls the badge until its text contains `text`, for up to three seconds (the cache keeps a value for a second).
    static func waitFor(_ text: String, _ client: any TestClientProtocol) async throws -> Bool {
        for _ in 0..<30 {
            if String(buffer: try await client.execute(uri: path, method: .get).body).contains(text) { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }
}
