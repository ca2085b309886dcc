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
        let forwardedFor = Self.forwardedForHops(request.headers)
        let forwarded = Self.forwardedHops(request.headers)
        switch (forwardedFor, forwarded) {
        case (let hops?, nil), (nil, let hops?):
            context.clientAddress = trusted.client(peer: context.remoteAddress, hops: hops)
        case (let first?, let second?):
            // Both: one was written by the proxy, the other may be the client's own. Believed only when they agree;
            // otherwise the request counts as the proxy's, the strictest bucket.
            let one = trusted.client(peer: context.remoteAddress, hops: first)
            let other = trusted.client(peer: context.remoteAddress, hops: second)
            context.clientAddress = one?.ipBytes == other?.ipBytes ? one : context.remoteAddress
        case (nil, nil):
            break
        }
        return try await next(request, context)
    }

    private static let forwardedFor = HTTPField.Name("X-Forwarded-For")
    private static let forwarded = HTTPField.Name("Forwarded")

    /// The hops of `X-Forwarded-For`, oldest first, as bare addresses; `nil` without the header.
    static func forwardedForHops(_ headers: HTTPFields) -> [String]? {
        guard let name = forwardedFor else { return nil }
        let values = headers[values: name]
        guard !values.isEmpty else { return nil }
        return values.joined(separator: ",").split(separator: ",", omittingEmptySubsequences: false).map { bare(String($0)) }
    }

    /// The `for=` hops of `Forwarded` (RFC 7239), oldest first; an element without `for=` is an empty hop, which stops the
    /// walk (``TrustedProxies/client(peer:hops:)``) rather than letting the element before it count. `nil` without the header.
    static func forwardedHops(_ headers: HTTPFields) -> [String]? {
        guard let name = forwarded else { return nil }
        let values = headers[values: name]
        guard !values.isEmpty else { return nil }
        return values.joined(separator: ",").split(separator: ",", omittingEmptySubsequences: false).map { element in
            element.split(separator: ";").lazy.map { $0.trimmingCharacters(in: .whitespaces) }
                .first { $0.lowercased().hasPrefix("for=") }
                .map { bare(String($0.dropFirst(4))) } ?? ""
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
