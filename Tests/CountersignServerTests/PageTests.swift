import CountersignCore
@testable import CountersignServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("HTML pages")
struct PageTests {
    static let formHeaders: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
    let petitionPath = "/petitions/\(APIFixture.slug.value)"

    /// The value of the hidden `csrf` field in a page's form posting to `action`.
    static func csrf(in page: String, action: String) throws -> String {
        let form = try #require(page.components(separatedBy: "action=\"\(action)\"").dropFirst().first)
        let field = try #require(form.components(separatedBy: "name=\"csrf\" value=\"").dropFirst().first)
        return String(try #require(field.split(separator: "\"").first))
    }

    /// The CSRF cookie a page set, as a request header. The fixture's public URL is https, so it is `__Host-csrf`.
    static func cookie(from response: TestResponse) throws -> HTTPFields {
        let setCookie = try #require(response.headers[.setCookie])
        let pair = try #require(setCookie.split(separator: ";").first)
        #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict"))
        #expect(setCookie.hasPrefix("__Host-csrf=") && setCookie.contains("Secure") && setCookie.contains("Path=/"))
        #expect(!setCookie.contains("Domain="))
        return [.contentType: "application/x-www-form-urlencoded", .cookie: String(pair)]
    }

    static func form(_ fields: [String: String]) -> ByteBuffer {
        ByteBuffer(string: fields.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&"))
    }

    @Test("the index and the petition page show the petition, its count and a sign form with the regions")
    func petitionPage() async throws {
        let fixture = try await APIFixture()
        try await fixture.test { client in
            let index = String(buffer: try await client.execute(uri: "/", method: .get).body)
            #expect(index.contains("Tell Amazon to cut all ties with police and ICE"))
            let page = try await client.execute(uri: petitionPath, method: .get)
            let html = String(buffer: page.body)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            #expect(html.contains("<strong>0</strong> confirmed signatures"))
            #expect(html.contains("<select name=\"region\">"))
            #expect(html.contains("<option>Outside the US</option>"))
            #expect(html.contains("Amazon is complicit in police violence"))
            #expect(!html.contains("<script"))
        }
    }

    @Test("the noun follows the count on the petition page, the index and the dashboard: 0 and 2 signatures, 1 signature")
    func grammar() async throws {
        let fixture = try await APIFixture()
        let organizer = try AccessToken.generate(role: .organizer, petition: APIFixture.slug, now: Date())
        try await fixture.store.createAccessToken(organizer.token)
        try await fixture.test { client in
            func pages() async throws -> (petition: String, index: String, dashboard: String) {
                (
                    String(buffer: try await client.execute(uri: petitionPath, method: .get).body),
                    String(buffer: try await client.execute(uri: "/", method: .get).body),
                    String(buffer: try await client.execute(
                        uri: "/organize/\(APIFixture.slug.value)", method: .get, headers: [.cookie: "\(AccessControl.cookieName)=\(organizer.text)"]
                    ).body)
                )
            }
            let cases: [(total: Int, number: String, noun: String)] = [
                (0, "0", "confirmed signatures"), (1, "1", "confirmed signature"), (2, "2", "confirmed signatures"),
                (1000, "1,000", "confirmed signatures"),
            ]
            var confirmed = 0
            for (total, number, noun) in cases {
                try await OrganizerRoutesTests.confirm(fixture.store, count: total - confirmed, region: nil, day: 0, first: confirmed)
                confirmed = total
                let (petition, index, dashboard) = try await pages()
                #expect(petition.contains("<strong>\(number)</strong> \(noun)</p>"), "petition page at \(total)")
                #expect(index.contains("</a>: \(number) \(noun)</li>"), "index at \(total)")
                #expect(dashboard.contains("<strong>\(number)</strong> \(noun) (exact)."), "dashboard at \(total)")
            }
        }
    }

    @Test("a petition file's milestones show as progress to the next one; without milestones the page shows none")
    func milestones() async throws {
        let fixture = try await APIFixture(milestones: [100, 10])
        try await fixture.test { client in
            func page() async throws -> String { String(buffer: try await client.execute(uri: petitionPath, method: .get).body) }
            var html = try await page()
            #expect(html.contains("<label for=\"milestone\">Next milestone: 0 of 10 signatures</label>"))
            #expect(html.contains("<progress id=\"milestone\" value=\"0\" max=\"10\">0 of 10 signatures</progress>"))
            try await OrganizerRoutesTests.confirm(fixture.store, count: 10, region: nil, day: 0, first: 0)
            html = try await page()
            #expect(html.contains("Next milestone: 10 of 100 signatures"), "reaching a milestone moves on to the next")
            #expect(html.contains("value=\"10\" max=\"100\""))
            try await OrganizerRoutesTests.confirm(fixture.store, count: 90, region: nil, day: 0, first: 10)
            #expect(!(try await page()).contains("<progress"), "past the last milestone there is nothing to show")
        }
        let plain = try await APIFixture()
        try await plain.test { client in
            let html = String(buffer: try await client.execute(uri: petitionPath, method: .get).body)
            #expect(!html.contains("<progress"))
        }
    }

    @Test("the title, the count and the sign form come before the petition's text, so a phone shows them first")
    func formBeforeText() async throws {
        let fixture = try await APIFixture(milestones: [10])
        try await fixture.test { client in
            let html = String(buffer: try await client.execute(uri: petitionPath, method: .get).body)
            let order = ["<h1>", "class=\"count\"", "<progress", "action=\"\(petitionPath)/sign\"", "Amazon has thousands of contracts"].map {
                html.range(of: $0)?.lowerBound
            }
            #expect(!order.contains(nil))
            #expect(order.compactMap { $0 } == order.compactMap { $0 }.sorted(), "the page's order is title, count, milestone, form, text")
        }
    }

    @Test("sign from the form, open the mailed link (changes nothing), press Confirm (counts)")
    func signAndConfirm() async throws {
        let fixture = try await APIFixture()
        try await fixture.test { client in
            let response = try await client.execute(uri: petitionPath, method: .get)
            let page = String(buffer: response.body)
            let csrf = try Self.csrf(in: page, action: "\(petitionPath)/sign")
            let headers = try Self.cookie(from: response)
            let signed = try await client.execute(
                uri: "\(petitionPath)/sign", method: .post, headers: headers,
                body: Self.form(["email": "signer@example.org", "region": "New York", "csrf": csrf]))
            #expect(signed.status == .ok)
            #expect(String(buffer: signed.body).contains("Check your email"))
            let link = try #require(try await fixture.delivered(1).first?.link)
            let path = String(link.dropFirst("https://petitions.example.org".count))

            let confirmPage = try await client.execute(uri: path, method: .get, headers: [.cookie: headers[.cookie] ?? ""])
            #expect(confirmPage.headers[.cacheControl] == "no-store")
            #expect(try await fixture.store.aggregates(APIFixture.slug).total == 0)
            let confirmCSRF = try Self.csrf(in: String(buffer: confirmPage.body), action: path)
            #expect(confirmCSRF == csrf, "the browser keeps its one CSRF value")
            #expect(confirmPage.headers[.setCookie] == nil, "a browser with a cookie gets no new one")
            let confirmed = try await client.execute(uri: path, method: .post, headers: headers, body: Self.form(["csrf": confirmCSRF]))
            #expect(String(buffer: confirmed.body).contains("confirmed and counted"))
            // The receipt, once: a download link and the code to copy.
            #expect(String(buffer: confirmed.body).contains("download=\"receipt.json\""))
            #expect(String(buffer: confirmed.body).contains("href=\"data:application/json;base64,"))
            #expect(String(buffer: confirmed.body).contains("cs1:\(APIFixture.slug.value):0:"))
            #expect(try await fixture.store.aggregates(APIFixture.slug).byRegion == ["New York": 1])
        }
    }

    @Test("a form post whose CSRF field does not match its cookie, or that comes from another site, is refused and stores nothing")
    func csrf() async throws {
        let fixture = try await APIFixture()
        try await fixture.test { client in
            let response = try await client.execute(uri: petitionPath, method: .get)
            let csrf = try Self.csrf(in: String(buffer: response.body), action: "\(petitionPath)/sign")
            let withCookie = try Self.cookie(from: response)
            let other = String(repeating: "A", count: 22)
            let attempts: [(HTTPFields, [String: String])] = [
                (Self.formHeaders, ["email": "a@example.org", "csrf": csrf]),
                (withCookie, ["email": "a@example.org"]),
                (withCookie, ["email": "a@example.org", "csrf": other]),
                ([.contentType: "application/x-www-form-urlencoded", .cookie: "__Host-csrf=\(other)"], ["email": "a@example.org", "csrf": csrf]),
                (withCookie + [HTTPField(name: HTTPField.Name("Sec-Fetch-Site")!, value: "cross-site")], ["email": "a@example.org", "csrf": csrf]),
            ]
            for (headers, fields) in attempts {
                let refused = try await client.execute(uri: "\(petitionPath)/sign", method: .post, headers: headers, body: Self.form(fields))
                #expect(refused.status == .forbidden)
            }
            let accepted = try await client.execute(
                uri: "\(petitionPath)/sign", method: .post, headers: withCookie, body: Self.form(["email": "b@example.org", "csrf": csrf]))
            #expect(accepted.status == .ok, "the control: the same post with a matching cookie goes through")
            // The store work runs after the answer; its mail says it is done.
            #expect(try await fixture.delivered(1).count == 1)
        }
        #expect(try await fixture.store.purgeExpired(at: Date().addingTimeInterval(1e7)) == 1)
    }
}

extension HTTPFields {
    static func + (lhs: HTTPFields, rhs: [HTTPField]) -> HTTPFields {
        var fields = lhs
        fields.append(contentsOf: rhs)
        return fields
    }
}
