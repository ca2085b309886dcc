import CountersignCore
import Foundation
import HTTPTypes
import Hummingbird
import Mustache

/// The HTML pages, which work without JavaScript. Links in mails open a page with a button: a GET never
/// changes anything (mail scanners fetch links), only the form's POST does.
struct PageRoutes: Sendable {
    let service: SigningService
    let mail: MailSender
    let pages: PageRenderer
    let stylesheet: String
    /// `/pow.js`: the page's proof-of-work solver, which runs in a Web Worker of the same file.
    let script: String
    let csrf: CSRFProtection
    let proofOfWork: ProofOfWorkGate?
    /// The audit log's origin, which the count log's origin in a receipt extends.
    let auditOrigin: String
    /// The petition files as the server loaded them; the page reads each petition's milestones here, not from the store.
    let catalog: PetitionCatalog?

    func add(to router: Router<CountersignRequestContext>) {
        router.get("style.css") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: CacheControl.hourly], body: .init(byteBuffer: ByteBuffer(string: stylesheet)))
        }
        router.get("pow.js") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: CacheControl.hourly],
                body: .init(byteBuffer: ByteBuffer(string: script)))
        }
        router.get("/") { _, _ in try await index() }
        router.get("petitions/:slug") { request, context in try await petition(request, context, context.parameters.get("slug")) }
        router.post("petitions/:slug/sign") { request, context in try await sign(request, context, context.parameters.get("slug")) }
        router.post("petitions/:slug/withdraw") { request, context in try await requestWithdrawal(request, context, context.parameters.get("slug")) }
        router.get("confirm/:token") { request, context in
            try action(
                request, title: "Confirm your signature", explanation: "Press the button to confirm your signature.",
                button: "Confirm", path: "/confirm/\(context.parameters.get("token") ?? "")")
        }
        router.post("confirm/:token") { request, context in try await confirm(request, context.parameters.get("token") ?? "") }
        router.get("withdraw/:token") { request, context in
            try action(
                request, title: "Withdraw your signature", explanation: "Press the button to withdraw your signature. It stops counting at once.",
                button: "Withdraw", path: "/withdraw/\(context.parameters.get("token") ?? "")")
        }
        router.post("withdraw/:token") { request, context in try await withdraw(request, context.parameters.get("token") ?? "") }
    }

    private func index() async throws -> Page {
        var petitions: [[String: Any]] = []
        for listed in try await service.store.petitionTotals() {
            let petition = listed.petition
            petitions.append([
                "slug": petition.slug.value, "title": petition.title, "count": CountWording.confirmed(listed.total),
                "closed": petition.state == .closed,
            ])
        }
        return try render("index", ["title": "Petitions", "petitions": petitions])
    }

    private func petition(_ request: Request, _ context: CountersignRequestContext, _ text: String?) async throws -> Page {
        guard let text, let slug = try? PetitionSlug(text), let petition = try await service.store.petition(slug) else {
            return try pages.noSuchPetition()
        }
        let count = try await service.store.aggregates(slug).total
        let csrf = try self.csrf.value(for: request)
        var fields: [String: Any] = [
            "title": petition.title, "slug": slug.value, "count": CountWording.confirmed(count),
            "paragraphs": petition.text.components(separatedBy: "\n\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty },
            "open": petition.state == .open, "hasRegions": !petition.regions.isEmpty, "regions": petition.regions,
            "csrf": csrf.value, "proofOfWork": proofOfWork != nil,
            "proofOfWorkRequired": try proofOfWork.map { try $0.demand(slug, network: mail.network(of: context.clientAddress)).required } ?? false,
        ]
        if let progress = MilestoneProgress(count: count, milestones: catalog?.petition(slug)?.milestones ?? []) {
            fields["milestone"] = CountWording.milestone(progress)
        }
        var page = try render("petition", fields)
        page.cookie = csrf.cookie
        return page
    }

    private func sign(_ request: Request, _ context: CountersignRequestContext, _ text: String?) async throws -> Page {
        guard let text, let slug = try? PetitionSlug(text) else { return try pages.noSuchPetition() }
        guard let form = try await checkedForm(request) else { return try pages.formExpired() }
        let region = form["region"].flatMap { $0.isEmpty ? nil : $0 }
        let network: NetworkID
        do {
            network = try mail.network(of: context.clientAddress)
            try await proofOfWork?.admit(form["altcha"], slug: slug, network: network)
        } catch where error.code == "proof-of-work-required" {
            return try message(error.status, "Not signed yet", Self.proofOfWorkWithoutScript, slug: slug)
        } catch {
            return try message(error.status, "Not signed", error.message, slug: slug)
        }
        do {
            try await mail.send(from: network) { () throws(SigningError) in try await service.prepareSign(slug: slug, email: form["email"] ?? "", region: region) }
        } catch {
            return try message(error.status, "Not signed", error.message, slug: slug)
        }
        return try message(.ok, "Check your email", "We sent a link to the address you gave. Your signature counts once you confirm it.", slug: slug)
    }

    static let proofOfWorkWithoutScript = """
        Signatures are arriving fast, so each one now needs a short puzzle that your browser solves for you. \
        Turn on JavaScript for this site and sign again, or try again in a few minutes, when it may no longer be needed.
        """

    private func requestWithdrawal(_ request: Request, _ context: CountersignRequestContext, _ text: String?) async throws -> Page {
        guard let text, let slug = try? PetitionSlug(text) else { return try pages.noSuchPetition() }
        guard let form = try await checkedForm(request) else { return try pages.formExpired() }
        do {
            try await mail.send(from: mail.network(of: context.clientAddress)) { () throws(SigningError) in try await service.prepareWithdrawal(slug: slug, email: form["email"] ?? "") }
        } catch {
            return try message(error.status, "Nothing sent", error.message, slug: slug)
        }
        return try message(.ok, "Check your email", "We sent a message to the address you gave. If it has signed, the message holds a link to withdraw the signature.", slug: slug)
    }

    private func confirm(_ request: Request, _ token: String) async throws -> Page {
        guard try await checkedForm(request) != nil else { return try pages.formExpired() }
        let confirmation: Confirmation
        do {
            confirmation = try await service.confirm(token: token)
        } catch {
            let failure = APIError.from(error)
            return try message(failure.status, "Not confirmed", failure.message)
        }
        // The receipt is offered on this page once; a replay of the link has none to offer (`r` was never kept).
        guard confirmation.outcome.counted else { return try message(.ok, "Thank you", "Your signature was already confirmed; it counts once.") }
        guard let offer = try ReceiptOffer(confirmation, auditOrigin: auditOrigin) else {
            return try message(.ok, "Thank you", "Your signature is confirmed and counted.")
        }
        return try render("confirmed", [
            "title": "Thank you", "message": "Your signature is confirmed and counted.", "slug": offer.receipt.slug,
            "download": offer.downloadLink, "code": try offer.code(),
        ])
    }

    private func withdraw(_ request: Request, _ token: String) async throws -> Page {
        guard try await checkedForm(request) != nil else { return try pages.formExpired() }
        do {
            _ = try await service.withdraw(token: token)
        } catch {
            let failure = APIError.from(error)
            return try message(failure.status, "Not withdrawn", failure.message)
        }
        return try message(.ok, "Withdrawn", "Your signature is withdrawn and no longer counts.")
    }

    private func action(_ request: Request, title: String, explanation: String, button: String, path: String) throws -> Page {
        let csrf = try self.csrf.value(for: request)
        var page = try render("action", ["title": title, "explanation": explanation, "button": button, "action": path, "csrf": csrf.value])
        page.cookie = csrf.cookie
        return page
    }

    /// The form fields, or `nil` when the CSRF field does not match the cookie or the post is cross-site.
    private func checkedForm(_ request: Request) async throws -> [String: String]? {
        let form = try await RequestBody.form(from: request)
        return csrf.verify(request, field: form["csrf"]) ? form : nil
    }

    private func message(_ status: HTTPResponse.Status, _ title: String, _ text: String, slug: PetitionSlug? = nil) throws -> Page {
        try pages.message(status, title, text, slug: slug?.value)
    }

    private func render(_ template: String, _ object: [String: Any]) throws -> Page {
        try pages.render(template, object)
    }
}
