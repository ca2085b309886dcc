import Hummingbird

/// A rendered HTML page with its status.
struct Page: ResponseGenerator {
    let html: String
    var status: HTTPResponse.Status = .ok
    /// A cookie to set with the page (the CSRF cookie, on a browser's first form).
    var cookie: Cookie?

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: html)))
        if let cookie { response.setCookie(cookie) }
        return response
    }
}
