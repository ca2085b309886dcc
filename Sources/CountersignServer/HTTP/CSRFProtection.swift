import Foundation
import CountersignCrypto
import HTTPTypes
import Hummingbird

/// Double-submit CSRF protection that stores nothing on the server and nothing about the signer.
///
/// A page with a form gives the browser a random value twice: in a `SameSite=Strict`, `HttpOnly` cookie and
/// in the form's hidden `csrf` field. A post is accepted only when the two are equal (compared in constant
/// time) and the browser does not mark it `Sec-Fetch-Site: cross-site`. Another site can neither read the
/// value nor make the browser send the cookie with its post.
struct CSRFProtection: Sendable {
    /// Over https the cookie is `__Host-csrf`: browsers then refuse it unless it is `Secure`, has `Path=/` and no
    /// `Domain`, so a sibling subdomain cannot plant a value of its own.
    var cookieName: String { secureCookie ? "__Host-csrf" : "csrf" }
    private static let secFetchSite = HTTPField.Name("Sec-Fetch-Site")

    /// Whether the cookie is marked `Secure` (the service is reached over https).
    let secureCookie: Bool

    /// The browser's value: its cookie's when it has a well-formed one, or a fresh one with the cookie to set.
    func value(for request: Request) throws -> (value: String, cookie: Cookie?) {
        if let existing = browserValue(request) {
            return (existing, nil)
        }
        let fresh = Base64URL.encode(try SecureRandom.bytes(count: 16))
        let cookie = try Cookie.validated(
            name: cookieName, value: fresh, path: "/", secure: secureCookie, httpOnly: true, sameSite: .strict)
        return (fresh, cookie)
    }

    /// Whether a post carries the same value in its form field as in its cookie, and is not cross-site.
    func verify(_ request: Request, field: String?) -> Bool {
        if let name = Self.secFetchSite, request.headers[name] == "cross-site" { return false }
        guard let field, let cookie = browserValue(request) else { return false }
        return ConstantTime.equals(Array(field.utf8), Array(cookie.utf8))
    }

    /// The value of the one well-formed CSRF cookie the request carries; `nil` for none, or for two. Two mean that
    /// someone planted a second cookie of the name (from a sibling subdomain, over plain http): the browser sends both
    /// and nothing says which is ours, so neither is believed.
    private func browserValue(_ request: Request) -> String? {
        let named = request.headers[values: .cookie].flatMap { $0.split(separator: ";") }
            .filter { $0.trimmingCharacters(in: .whitespaces).hasPrefix(cookieName + "=") }
        guard named.count == 1, let value = request.cookies[cookieName]?.value, Self.wellFormed(value) else { return nil }
        return value
    }

    /// 16 random bytes in base64url: 22 characters.
    private static func wellFormed(_ value: String) -> Bool {
        value.utf8.count == 22 && (try? Base64URL.decode(value))?.count == 16
    }
}
