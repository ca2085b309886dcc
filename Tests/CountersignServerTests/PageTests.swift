import CountersignCore
import CountersignServer
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
            #expect(html.contains("<strong>0</strong> people have signed"))
            #expect(html.contains("<select name=\"region\">"))
            #expect(html.contains("<option>Outside the US</option>"))
            #expect(html.contains("Amazon is complicit in police violence"))
            #expect(!html.contains("<script"))
        }
    }

    @Test("sign from the form, open the mailed link (changes nothing), press Confirm (counts)")
    func signAndConfirm() async throws {
        let fixture = try await APIFixture()
        try await fixture.test { client in
            let page = String(buffer: try await client.execute(uri: petitionPath, method: .get).body)
            let csrf = try Self.csrf(in: page, action: "\(petitionPath)/sign")
            let signed = try await client.execute(
                uri: "\(petitionPath)/sign", method: .post, headers: Self.formHeaders,
                body: Self.form(["email": "signer@example.org", "region": "New York", "csrf": csrf]))
            #expect(signed.status == .ok)
            #expect(String(buffer: signed.body).contains("Check your email"))
            let link = try #require(try await fixture.delivered(1).first?.link)
            let path = String(link.dropFirst("https://petitions.example.org".count))

            let confirmPage = try await client.execute(uri: path, method: .get)
            #expect(confirmPage.headers[.cacheControl] == "no-store")
            #expect(try await fixture.store.aggregates(APIFixture.slug).total == 0)
            let confirmCSRF = try Self.csrf(in: String(buffer: confirmPage.body), action: path)
            let confirmed = try await client.execute(uri: path, method: .post, headers: Self.formHeaders, body: Self.form(["csrf": confirmCSRF]))
            #expect(String(buffer: confirmed.body).contains("confirmed and counted"))
            #expect(try await fixture.store.aggregates(APIFixture.slug).byRegion == ["New York": 1])
        }
    }

    @Test("a form post without a valid CSRF token, or from another site, is refused and stores nothing")
    func csrf() async throws {
        let fixture = try await APIFixture()
        try await fixture.test { client in
            let page = String(buffer: try await client.execute(uri: petitionPath, method: .get).body)
            let csrf = try Self.csrf(in: page, action: "\(petitionPath)/sign")
            let withdrawCSRF = try Self.csrf(in: page, action: "\(petitionPath)/withdraw")
            let attempts: [(HTTPFields, [String: String])] = [
                (Self.formHeaders, ["email": "a@example.org"]),
                (Self.formHeaders, ["email": "a@example.org", "csrf": "123.AAAA"]),
                (Self.formHeaders, ["email": "a@example.org", "csrf": withdrawCSRF]),
                (Self.formHeaders + [HTTPField(name: HTTPField.Name("Sec-Fetch-Site")!, value: "cross-site")], ["email": "a@example.org", "csrf": csrf]),
            ]
            for (headers, fields) in attempts {
                let response = try await client.execute(uri: "\(petitionPath)/sign", method: .post, headers: headers, body: Self.form(fields))
                #expect(response.status == .forbidden)
            }
        }
        #expect(try await fixture.store.purgeExpired(at: Date().addingTimeInterval(1e7)) == 0)
        #expect(fixture.transport.delivered.isEmpty)
    }
}

extension HTTPFields {
    static func + (lhs: HTTPFields, rhs: [HTTPField]) -> HTTPFields {
        var fields = lhs
        fields.append(contentsOf: rhs)
        return fields
    }
}
