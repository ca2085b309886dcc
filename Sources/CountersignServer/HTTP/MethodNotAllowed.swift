import HTTPTypes
import Hummingbird

/// RFC 9110 §15.5.6: a path that a route serves answers a method it does not take with 405 and an `Allow` header naming
/// the methods it takes, not with the 404 of a path that does not exist. Hummingbird answers both with 404, so once
/// every route is added, each served path gets a responder for each method of ``answered`` that it does not take.
extension Router {
    /// The methods a path is answered 405 for when it takes them not: RFC 9110's and 5789's, and QUERY (the safe
    /// method with a body, httpbis-safe-method-w-body). HEAD is left to the routes (a `GET` route's `HEAD`), and
    /// CONNECT names a host, not a path. Any other method gets the 404 of an unknown route.
    static var answered: [HTTPRequest.Method] {
        [.get, .post, .put, .delete, .patch, .options, .trace] + [HTTPRequest.Method("QUERY")].compactMap { $0 }
    }

    /// Adds the 405 responders; call it after the last route is added.
    func answerUnsupportedMethods() {
        var taken: [String: (path: RouterPath, methods: [HTTPRequest.Method])] = [:]
        for route in routes {
            taken[route.path.description, default: (route.path, [])].methods.append(route.method)
        }
        for (path, methods) in taken.values {
            // The router answers HEAD wherever it answers GET (`.autoGenerateHeadEndpoints`), after these routes are read.
            let allowed = methods + (methods.contains(.get) && !methods.contains(.head) ? [.head] : [])
            let error = APIError.methodNotAllowed(allowed: allowed.sorted { $0.rawValue < $1.rawValue })
            for method in Self.answered where !methods.contains(method) {
                on(path, method: method) { _, _ -> Response in throw error }
            }
        }
    }
}
