import CountersignCore
import Foundation
import Hummingbird

/// Checks the bearer token of organizer and auditor requests against the store, which keeps token hashes only.
///
/// The token comes from `Authorization: Bearer cst_…` (API clients, `curl`) or from the `countersign_access`
/// cookie that the dashboard's sign-in form sets (HttpOnly, SameSite=Strict, Secure on https). No token, an
/// unknown one or a revoked one answers 401; a token of another role or petition answers 403.
struct AccessControl: Sendable {
    static let cookieName = "countersign_access"

    let store: any AccessTokenStore

    /// The token that grants `role` for `petition`, or the 401/403 error.
    func authorize(_ request: Request, _ role: AccessRole, petition: PetitionSlug? = nil) async throws(APIError) -> AccessToken {
        try await authorize(token: Self.presented(request), role, petition: petition)
    }

    /// The token `text` if it grants `role` for `petition`, or the 401/403 error.
    func authorize(token text: String?, _ role: AccessRole, petition: PetitionSlug? = nil) async throws(APIError) -> AccessToken {
        guard let text, AccessToken.isWellFormed(text) else { throw .unauthorized }
        let token: AccessToken?
        do {
            token = try await store.accessToken(hash: AccessToken.hash(of: text))
        } catch {
            throw .internal
        }
        guard let token, token.revokedAt == nil else { throw .unauthorized }
        guard token.grants(role, petition: petition) else { throw .forbidden }
        return token
    }

    /// The token text a request carries, from the Authorization header or the cookie.
    static func presented(_ request: Request) -> String? {
        if request.headers[.authorization] != nil { return bearer(request) }
        return request.cookies[cookieName]?.value
    }

    /// The token of an `Authorization: Bearer` header, or `nil` without one (or with a header of another scheme).
    static func bearer(_ request: Request) -> String? {
        guard let header = request.headers[.authorization] else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return String(parts[1]).trimmingCharacters(in: .whitespaces)
    }
}
