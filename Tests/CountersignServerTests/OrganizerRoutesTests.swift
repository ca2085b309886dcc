import CountersignCore
import CountersignTestSupport
@testable import CountersignServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOFoundationCompat
import Testing

@Suite("Organizer exports and dashboard")
struct OrganizerRoutesTests {
    static let slug = APIFixture.slug
    static let export = "/api/petitions/\(slug.value)/export"
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    /// Confirms `count` signatures in `region` on day `day` after the petition's creation, straight through the store.
    static func confirm(_ store: InMemorySignatureStore, count: Int, region: String?, day: Int, first: Int) async throws {
        for n in first..<(first + count) {
            let pseudonym = try Pseudonym(bytes: (0..<32).map { UInt8(truncatingIfNeeded: n >> ($0 % 4 * 8)) ^ UInt8($0) })
            let token = try TokenID(bytes: (0..<16).map { UInt8(truncatingIfNeeded: n >> ($0 % 4 * 8)) &+ UInt8($0) })
            _ = try await store.sign(PendingRequest(slug: slug, pseudonym: pseudonym, region: region, tokenID: token, expiresAt: .distantFuture))
            _ = try await store.confirm(tokenID: token, at: Date().addingTimeInterval(TimeInterval(day) * 86_400), commit: anyReceipt)
        }
    }

    /// A fixture whose petition has 25 signatures in California, 12 in Texas, 3 in Alaska, 1 in Iowa and 14 without a
    /// region: 55 in all, three days ago (40), two days ago (1) and yesterday (14). Day tables cover completed days.
    static func seeded() async throws -> (APIFixture, organizer: String, other: String, auditor: String) {
        let fixture = try await APIFixture()
        try await confirm(fixture.store, count: 25, region: "California", day: -3, first: 0)
        try await confirm(fixture.store, count: 12, region: "Texas", day: -3, first: 100)
        try await confirm(fixture.store, count: 3, region: "Alaska", day: -3, first: 200)
        try await confirm(fixture.store, count: 1, region: "Iowa", day: -2, first: 300)
        try await confirm(fixture.store, count: 14, region: nil, day: -1, first: 400)
        let other = try PetitionSlug("another-petition")
        try await fixture.store.createPetition(PetitionRecord(
            slug: other, title: "Other", text: "T", regions: [], salt: Array(repeating: 1, count: 16), wrappedKey: nil, createdAt: Date()))
        let organizer = try AccessToken.generate(role: .organizer, petition: slug, now: Date())
        let elsewhere = try AccessToken.generate(role: .organizer, petition: other, now: Date())
        let auditor = try AccessToken.generate(role: .auditor, petition: nil, now: Date())
        for token in [organizer.token, elsewhere.token, auditor.token] { try await fixture.store.createAccessToken(token) }
        return (fixture, organizer.text, elsewhere.text, auditor.text)
    }

    static func bearer(_ token: String) -> HTTPFields { [.authorization: "Bearer \(token)"] }

    static func json(_ response: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
    }

    @Test("the export answers 401 without a token, 403 to an auditor or another petition's organizer, 200 to this petition's organizer")
    func roles() async throws {
        let (fixture, organizer, other, auditor) = try await Self.seeded()
        try await fixture.test { client in
            #expect(try await client.execute(uri: Self.export, method: .get).status == .unauthorized)
            #expect(try await client.execute(uri: Self.export, method: .get, headers: Self.bearer(auditor)).status == .forbidden)
            #expect(try await client.execute(uri: Self.export, method: .get, headers: Self.bearer(other)).status == .forbidden)
            let total = try await client.execute(uri: Self.export, method: .get, headers: Self.bearer(organizer))
            #expect(total.status == .ok)
            #expect(String(buffer: total.body) == "petition,signatures\r\n\(Self.slug.value),55\r\n")
            #expect(total.headers[.contentDisposition] == "attachment; filename=\"\(Self.slug.value)-by-total.csv\"")
        }
    }

    @Test("by region and by day, no cell below k appears, directly or by subtracting the shown cells from the total")
    func noSmallCells() async throws {
        let (fixture, organizer, _, _) = try await Self.seeded()
        try await fixture.test { client in
            for by in ["region", "day"] {
                let response = try await client.execute(uri: "\(Self.export)?by=\(by)&format=json", method: .get, headers: Self.bearer(organizer))
                #expect(response.status == .ok)
                let table = try Self.json(response)
                #expect(table["total"] as? Int == 55)
                #expect(table["k"] as? Int == 10)
                let cells = try #require(table["cells"] as? [[String: Any]])
                let shown = cells.compactMap { $0["signatures"] as? Int }
                #expect(shown.allSatisfy { $0 >= 10 }, "a cell below k is shown by \(by): \(shown)")
                let hidden = cells.count - shown.count
                #expect(hidden != 1, "a single suppressed cell equals the total minus the shown cells")
                if hidden > 0 { #expect(55 - shown.reduce(0, +) >= 10, "the suppressed cells sum to less than k") }
                let csv = try await client.execute(uri: "\(Self.export)?by=\(by)&format=csv", method: .get, headers: Self.bearer(organizer))
                let rows = String(buffer: csv.body).split(separator: "\r\n").dropFirst().map { $0.split(separator: ",").last.map(String.init) ?? "" }
                #expect(rows.allSatisfy { $0 == "<10" || (Int($0) ?? 0) >= 10 })
            }
            // Alaska (3) and Iowa (1) are below k; Texas (12) is withheld with them, since 3 + 1 < 10.
            let regions = try Self.json(try await client.execute(uri: "\(Self.export)?by=region&format=json", method: .get, headers: Self.bearer(organizer)))
            let cells = try #require(regions["cells"] as? [[String: Any]])
            func cell(_ name: String) -> [String: Any]? { cells.first { $0["region"] as? String == name } }
            #expect(cell("California")?["signatures"] as? Int == 25)
            #expect(cell("(none)")?["signatures"] as? Int == 14)
            for name in ["Alaska", "Iowa", "Texas"] { #expect(cell(name)?["suppressed"] as? Bool == true) }
        }
    }

    @Test("noisy exports spend the petition's budget, are refused past it, and never follow an exact release of the same breakdown")
    func privacyBudget() async throws {
        let (fixture, organizer, _, _) = try await Self.seeded()
        try await fixture.test { client in
            func get(_ query: String) async throws -> TestResponse {
                try await client.execute(uri: "\(Self.export)?\(query)", method: .get, headers: Self.bearer(organizer))
            }
            let noisy = try await get("by=day&format=json&epsilon=2")
            #expect(noisy.status == .ok)
            let table = try Self.json(noisy)
            #expect(table["total"] as? Int == 55)
            #expect((table["noise"] as? [String: Any])?["epsilon"] as? String == "2")
            #expect(try await get("by=day&format=json&epsilon=2.5").status == .ok)
            let refused = try await get("by=day&format=json&epsilon=1")
            #expect(refused.status == .conflict)
            #expect(try Self.json(refused)["error"] as? String == "release-refused")
            #expect(try await get("by=day&format=csv").status == .conflict)
            #expect(try await get("by=region&format=csv").status == .ok)
            #expect(try await get("by=region&format=csv&epsilon=0.5").status == .conflict)
            #expect(try await fixture.store.releases(Self.slug).map(\.epsilonMicros) == [2_000_000, 2_500_000, nil])
        }
    }

    @Test("a HEAD of an export answers with the GET's status and headers, refusals included, and spends and records nothing")
    func head() async throws {
        let (fixture, organizer, _, auditor) = try await Self.seeded()
        try await fixture.test { client in
            func request(_ method: HTTPRequest.Method, _ query: String, _ token: String? = nil) async throws -> TestResponse {
                try await client.execute(uri: "\(Self.export)?\(query)", method: method, headers: Self.bearer(token ?? organizer))
            }
            for query in ["by=region&format=csv", "by=day&format=json", "by=day&format=json&epsilon=2", "by=total"] {
                let head = try await request(.head, query)
                #expect(head.status == .ok && head.body.readableBytes == 0, "\(query)")
                #expect(head.headers[.contentLength] == nil, "the length of a table never released is not told")
                #expect(head.headers[.contentType] == (query.contains("json") ? ExportFormat.json : ExportFormat.csv).contentType)
                #expect(head.headers[.contentDisposition]?.hasPrefix("attachment; filename=\"\(Self.slug.value)-by-") == true)
            }
            #expect(try await fixture.store.releases(Self.slug).isEmpty, "no HEAD recorded a release or spent budget")
            // Refusals answer as the GET would: a bad query, a missing token, a release the ledger refuses.
            #expect(try await request(.head, "by=week").status == .badRequest)
            #expect(try await request(.head, "by=day", auditor).status == .forbidden)
            #expect(try await client.execute(uri: "\(Self.export)?by=day", method: .head).status == .unauthorized)
            #expect(try await request(.head, "by=day&epsilon=\(Epsilon.defaultBudget.micros / 1_000_000 + 1)").status == .conflict)
            #expect(try await request(.get, "by=region").status == .ok)
            #expect(try await request(.head, "by=region&epsilon=0.5").status == .conflict)
            #expect(try await request(.get, "by=region&epsilon=0.5").status == .conflict)
            #expect(try await fixture.store.releases(Self.slug).count == 1, "only the GET was recorded")
        }
    }

    @Test("a bad query is a 400 that names what to ask for, echoes nothing, and records no release")
    func badQueries() async throws {
        let (fixture, organizer, _, _) = try await Self.seeded()
        try await fixture.test { client in
            for query in ["by=week", "by=day&format=xml", "by=day&k=1", "by=day&k=5", "by=day&epsilon=abc", "by=day&epsilon=-1", "by=day&k=%0D%0AX", "by=day&k=101"] {
                let response = try await client.execute(uri: "\(Self.export)?\(query)", method: .get, headers: Self.bearer(organizer))
                #expect(response.status == .badRequest, "\(query)")
                let body = String(buffer: response.body)
                #expect(body.contains("invalid-export") && !body.contains("week") && !body.contains("xml") && !body.contains("abc"))
            }
            #expect(try await fixture.store.releases(Self.slug).isEmpty)
        }
    }

    @Test("the dashboard asks for a token, signs in with a strict HttpOnly cookie, shows the count, and only on a POST an inline SVG chart and the suppressed region table")
    func dashboard() async throws {
        let (fixture, organizer, other, _) = try await Self.seeded()
        try await fixture.test { client in
            let path = "/organize/\(Self.slug.value)"
            let anonymous = try await client.execute(uri: path, method: .get)
            #expect(anonymous.status == .unauthorized)
            let form = String(buffer: anonymous.body)
            let csrf = try PageTests.csrf(in: form, action: "\(path)/session")
            var headers = try PageTests.cookie(from: anonymous)
            let wrong = try await client.execute(
                uri: "\(path)/session", method: .post, headers: headers, body: PageTests.form(["csrf": csrf, "token": other]))
            #expect(wrong.status == .forbidden)
            let signedIn = try await client.execute(
                uri: "\(path)/session", method: .post, headers: headers, body: PageTests.form(["csrf": csrf, "token": organizer]))
            #expect(signedIn.status == .seeOther)
            let cookie = try #require(signedIn.headers[.setCookie])
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.hasPrefix("\(AccessControl.cookieName)="))
            let csrfCookie = headers[.cookie] ?? ""
            headers[.cookie] = "\(csrfCookie); \(cookie.split(separator: ";")[0])"
            // A GET records no release, whatever authorises it: it shows the public total and the buttons.
            let landing = try await client.execute(uri: path, method: .get, headers: headers)
            #expect(landing.status == .ok)
            #expect(String(buffer: landing.body).contains("<strong>55</strong>") && !String(buffer: landing.body).contains("<svg"))
            #expect(try await fixture.store.releases(Self.slug).isEmpty)
            let pageCSRF = try PageTests.csrf(in: String(buffer: landing.body), action: path)
            let forged = try await client.execute(uri: path, method: .post, headers: headers, body: PageTests.form(["csrf": (pageCSRF.first == "A" ? "B" : "A") + pageCSRF.dropFirst()]))
            #expect(forged.status == .forbidden)
            #expect(try await fixture.store.releases(Self.slug).isEmpty)
            let page = try await client.execute(uri: path, method: .post, headers: headers, body: PageTests.form(["csrf": pageCSRF]))
            #expect(page.status == .ok)
            #expect(try await fixture.store.releases(Self.slug).map(\.breakdown) == ["day", "region"])
            let html = String(buffer: page.body)
            #expect(html.contains("<strong>55</strong>"))
            #expect(html.contains("<svg") && html.contains("fewer than 10"))
            #expect(html.contains("<td>California</td><td>25</td>") && html.contains("<td>Alaska</td><td>&lt;10</td>"))
            #expect(!html.contains("<td>Alaska</td><td>3</td>") && !html.contains("<td>Iowa</td><td>1</td>"))
            // No third-party requests: nothing loads from another origin (the SVG namespace is a name, not a request).
            let external = html.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "")
            #expect(!external.contains("http://") && !external.contains("https://") && !external.contains("<script"))
            #expect(page.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
        }
    }

    @Test("with the dashboard's cookie a GET export is refused and records nothing; its POST behind the CSRF pair downloads")
    func dashboardExports() async throws {
        let (fixture, organizer, _, _) = try await Self.seeded()
        try await fixture.test { client in
            let path = "/organize/\(Self.slug.value)"
            let anonymous = try await client.execute(uri: path, method: .get)
            var headers = try PageTests.cookie(from: anonymous)
            let signInCSRF = try PageTests.csrf(in: String(buffer: anonymous.body), action: "\(path)/session")
            let signedIn = try await client.execute(
                uri: "\(path)/session", method: .post, headers: headers, body: PageTests.form(["csrf": signInCSRF, "token": organizer]))
            let session = String(try #require(signedIn.headers[.setCookie]).split(separator: ";")[0])
            headers[.cookie] = "\(headers[.cookie] ?? ""); \(session)"
            let linked = try await client.execute(uri: "\(Self.export)?by=day&format=csv", method: .get, headers: headers)
            #expect(linked.status == .forbidden)
            #expect(String(buffer: linked.body).contains("export-needs-post"))
            let landing = try await client.execute(uri: path, method: .get, headers: headers)
            let csrf = try PageTests.csrf(in: String(buffer: landing.body), action: "\(path)/export")
            let unchecked = try await client.execute(uri: "\(path)/export", method: .post, headers: headers, body: PageTests.form(["by": "day"]))
            #expect(unchecked.status == .forbidden)
            #expect(try await fixture.store.releases(Self.slug).isEmpty)
            let download = try await client.execute(
                uri: "\(path)/export", method: .post, headers: headers, body: PageTests.form(["csrf": csrf, "by": "day"]))
            #expect(download.status == .ok)
            #expect(download.headers[.contentDisposition]?.contains("-by-day.csv") == true)
            #expect(try await fixture.store.releases(Self.slug).map(\.breakdown) == ["day"])
        }
    }
}
