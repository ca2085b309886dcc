import HTTPTypes
import Hummingbird
import Mustache

/// Renders the Mustache page templates (`Templates/`), shared by the signer pages and the organizer dashboard.
struct PageRenderer: Sendable {
    let templates: MustacheLibrary

    /// The page `template` rendered with `object`.
    func render(_ template: String, _ object: [String: Any]) throws -> Page {
        guard let html = templates.render(object, withTemplate: template) else { throw ServerError("the \(template) template is missing") }
        return Page(html: html)
    }

    /// A page with a title and one message, and a link back to the petition `slug` when given.
    func message(_ status: HTTPResponse.Status, _ title: String, _ text: String, slug: String? = nil) throws -> Page {
        var fields: [String: Any] = ["title": title, "message": text]
        if let slug { fields["slug"] = slug }
        var page = try render("message", fields)
        page.status = status
        return page
    }

    /// The page for a petition address that names no petition.
    func noSuchPetition() throws -> Page {
        try message(.notFound, "No such petition", "There is no petition at this address.")
    }

    /// The page for a form whose CSRF check failed.
    func formExpired() throws -> Page {
        try message(.forbidden, "This form has expired", "Go back, reload the page and try again.")
    }
}
