import CountersignCore
import Foundation
import HTTPTypes
import Hummingbird

/// The organizer's side: the export API and the dashboard, both behind an organizer token (``AccessControl``).
///
/// `GET /api/petitions/{slug}/export?by=total|day|region&format=csv|json[&k=K][&epsilon=E]` answers the table as a
/// download, to an API client with `Authorization: Bearer`. The dashboard never records a release on a GET: `GET
/// /organize/{slug}` shows the exact total (public anyway) and buttons; the chart per day and the region table
/// (`POST /organize/{slug}`) and the downloads (`POST /organize/{slug}/export`) are POSTs behind the form's CSRF pair, so
/// a link, a prefetch or a crawler holding the session cookie cannot spend the petition's releases. Without a token the
/// dashboard shows a sign-in form that sets the access cookie.
struct OrganizerRoutes: Sendable {
    let export: PetitionExport
    let access: AccessControl
    let pages: PageRenderer
    let csrf: CSRFProtection
    /// How long the dashboard's access cookie lasts.
    static let sessionSeconds = 8 * 3600

    func add(to router: Router<CountersignRequestContext>) {
        router.get("api/petitions/:slug/export") { request, context in try await apiExport(request, context, release: true) }
        // Every other HEAD is the router's GET without its body; this one must not record a release, so it is its own.
        router.head("api/petitions/:slug/export") { request, context in try await apiExport(request, context, release: false) }
        router.get("organize/:slug") { request, context in
            try await dashboard(request, context, context.parameters.get("slug"), release: false)
        }
        router.post("organize/:slug") { request, context in
            let form = try await RequestBody.form(from: request)
            guard csrf.verify(request, field: form["csrf"]) else { return try pages.formExpired().response(from: request, context: context) }
            return try await dashboard(request, context, context.parameters.get("slug"), release: true)
        }
        router.post("organize/:slug/export") { request, context in
            let slug = try Self.slug(context.parameters.get("slug"))
            let form = try await RequestBody.form(from: request)
            guard csrf.verify(request, field: form["csrf"]) else { return try pages.formExpired().response(from: request, context: context) }
            _ = try await access.authorize(request, .organizer, petition: slug)
            return try await download(slug) { form[$0] }
        }
        router.post("organize/:slug/session") { request, context in try await signIn(request, context, context.parameters.get("slug")) }
    }

    /// `GET /api/petitions/{slug}/export` (`release`), or its `HEAD` (not `release`).
    private func apiExport(_ request: Request, _ context: CountersignRequestContext, release: Bool) async throws -> Response {
        let slug = try Self.slug(context.parameters.get("slug"))
        // A bearer header only: the session cookie alone would let a GET (a link, a prefetch) record a release.
        guard let bearer = AccessControl.bearer(request) else {
            throw request.cookies[AccessControl.cookieName] == nil ? APIError.unauthorized : APIError.exportNeedsPost
        }
        _ = try await access.authorize(token: bearer, .organizer, petition: slug)
        let query = request.uri.queryParameters
        return try await download(slug, release: release) { query.get($0) }
    }

    /// The export named by `parameter` (`by`, `format`, `k`, `epsilon`, from the query or the form), as a download.
    ///
    /// Without `release`, the answer to a `HEAD`: the export is built and checked against the privacy ledger, so the status
    /// and headers are the GET's, but nothing is recorded, and the length is left out, since it would tell something
    /// of a table never released (a withheld `<10` is longer than a shown `10`).
    private func download(_ slug: PetitionSlug, release: Bool = true, parameter: (String) -> String?) async throws -> Response {
        let table: ExportTable
        let body: ResponseBody
        let format: ExportFormat
        do {
            let breakdown = try ExportBreakdown(parsing: parameter("by") ?? "total")
            format = try ExportFormat(parsing: parameter("format") ?? "csv")
            let k = try parameter("k").map { text throws(ExportError) in try Suppression.parseK(text) }
            let epsilon = try parameter("epsilon").map { text throws(ExportError) in try Epsilon(text) }
            if release {
                let rendered = try await export.rendered(slug, by: breakdown, format: format, k: k, epsilon: epsilon, now: Date())
                (table, body) = (rendered.table, ResponseBody(byteBuffer: ByteBuffer(string: rendered.body)))
            } else {
                table = try await export.checked(slug, by: breakdown, k: k, epsilon: epsilon, now: Date())
                body = ResponseBody(contentLength: nil) { writer in try await writer.finish(nil) }
            }
        } catch {
            throw Self.apiError(error)
        }
        let name = "\(slug)-by-\(table.breakdown.rawValue).\(format.fileExtension)"
        return Response(
            status: .ok, headers: [.contentType: format.contentType, .contentDisposition: "attachment; filename=\"\(name)\""], body: body)
    }

    /// The dashboard; with `release`, also the chart per day and the region table, each recorded as an exact release.
    private func dashboard(_ request: Request, _ context: CountersignRequestContext, _ text: String?, release: Bool) async throws -> Response {
        guard let text, let slug = try? PetitionSlug(text), let petition = try await export.store.petition(slug) else {
            return try pages.noSuchPetition().response(from: request, context: context)
        }
        return try await dashboardPage(request, slug, petition, release: release).response(from: request, context: context)
    }

    private func dashboardPage(_ request: Request, _ slug: PetitionSlug, _ petition: PetitionRecord, release: Bool) async throws -> Page {
        do {
            _ = try await access.authorize(request, .organizer, petition: slug)
        } catch {
            switch error.status {
            case .unauthorized:
                return try signInPage(request, slug, "Sign in with the organizer token that `countersign tokens create --role organizer` printed.")
            case .forbidden:
                return try pages.message(.forbidden, "Not your petition", "This organizer token is for another petition.")
            default:
                throw error
            }
        }
        let csrf = try self.csrf.value(for: request)
        var fields: [String: Any] = [
            "title": petition.title, "slug": slug.value, "k": export.minimumK,
            "total": CountWording.confirmed(try await export.store.aggregates(slug).total),
            "hasRegions": !petition.regions.isEmpty, "released": release, "csrf": csrf.value,
        ]
        if release {
            do {
                fields["chart"] = DayChart.svg(try await export.table(slug, by: .day, now: Date()))
            } catch {
                fields["dayError"] = Self.apiError(error).message
            }
            if !petition.regions.isEmpty {
                do {
                    let table = try await export.table(slug, by: .region, now: Date())
                    fields["regions"] = table.cells.map { ["key": $0.key, "shown": $0.count.map(String.init) ?? "<\(table.k)"] }
                } catch {
                    fields["regionError"] = Self.apiError(error).message
                }
            }
        }
        var page = try pages.render("organize", fields)
        page.cookie = csrf.cookie
        return page
    }

    private func signIn(_ request: Request, _ context: CountersignRequestContext, _ text: String?) async throws -> Response {
        guard let text, let slug = try? PetitionSlug(text) else { throw APIError.unknownPetition }
        let form = try await RequestBody.form(from: request)
        guard csrf.verify(request, field: form["csrf"]) else {
            return try pages.formExpired().response(from: request, context: context)
        }
        let token = form["token"]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        do {
            _ = try await access.authorize(token: token, .organizer, petition: slug)
        } catch {
            var page = try signInPage(request, slug, error.status == .forbidden ? "This token is for another petition or role." : "That token is not valid.")
            page.status = error.status
            return try page.response(from: request, context: context)
        }
        var response = Response(status: .seeOther, headers: [.location: "/organize/\(slug)"])
        response.setCookie(try Cookie.validated(
            name: AccessControl.cookieName, value: token, maxAge: Self.sessionSeconds, path: "/", secure: csrf.secureCookie, httpOnly: true,
            sameSite: .strict))
        return response
    }

    private func signInPage(_ request: Request, _ slug: PetitionSlug, _ message: String) throws -> Page {
        let csrf = try self.csrf.value(for: request)
        var page = try pages.render("signin", ["title": "Organizer sign-in", "message": message, "slug": slug.value, "csrf": csrf.value])
        page.status = .unauthorized
        page.cookie = csrf.cookie
        return page
    }

    private static func slug(_ text: String?) throws(APIError) -> PetitionSlug {
        guard let text, let slug = try? PetitionSlug(text) else { throw .unknownPetition }
        return slug
    }

    /// The API answer for an export failure; messages never repeat the request.
    static func apiError(_ error: any Error) -> APIError {
        switch error {
        case let error as ExportError where error.isServerFault: return APIError(.serviceUnavailable, "export-failed", error.description)
        case let error as ExportError where error.isConflict: return APIError(.conflict, "release-refused", error.description)
        case let error as ExportError: return APIError(.badRequest, "invalid-export", error.description)
        case let error as StoreError where error.code == .unknownPetition: return .unknownPetition
        case let error as StoreError where error.code == .releaseRefused: return APIError(.conflict, "release-refused", error.reason)
        case let error as APIError: return error
        default: return .internal
        }
    }
}
