import Foundation
import HTTPTypes
import Hummingbird

/// Sets ``CountersignRequestContext/clientAddress`` from the forwarding headers when the peer is a trusted proxy
/// (``TrustedProxies``); from any other peer it stays the peer's own address.
struct ClientAddressMiddleware: RouterMiddleware {
    typealias Context = CountersignRequestContext
    let trusted: TrustedProxies

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard trusted.contains(context.remoteAddress) else { return try await next(request, context) }
        var context = context
        context.clientAddress = trusted.client(peer: context.remoteAddress, hops: Self.hops(request.headers))
        return try await next(request, context)
    }

    private static let forwardedFor = HTTPField.Name("X-Forwarded-For")
    private static let forwarded = HTTPField.Name("Forwarded")

    /// The hops of `X-Forwarded-For`, or else the `for=` hops of `Forwarded` (RFC 7239), oldest first, as bare addresses.
    static func hops(_ headers: HTTPFields) -> [String] {
        if let name = forwardedFor {
            let values = headers[values: name]
            if !values.isEmpty {
                return values.joined(separator: ",").split(separator: ",").map { bare(String($0)) }
            }
        }
        guard let name = forwarded else { return [] }
        return headers[values: name].joined(separator: ",").split(separator: ",").compactMap { element in
            element.split(separator: ";").lazy.map { $0.trimmingCharacters(in: .whitespaces) }
                .first { $0.lowercased().hasPrefix("for=") }
                .map { bare(String($0.dropFirst(4))) }
        }
    }

    /// `203.0.113.7`, `"[2001:db8::1]:4711"` or `203.0.113.7:80` as a bare address.
    static func bare(_ hop: String) -> String {
        var text = hop.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            text = String(text[text.index(after: text.startIndex)..<close])
        } else if text.filter({ $0 == ":" }).count == 1, let colon = text.firstIndex(of: ":") {
            text = String(text[..<colon])
        }
        return text
    }
}
