import CountersignCore
import Foundation
import Hummingbird

/// An API error: a status and a JSON body `{"error": code, "message": text}`. The message never repeats
/// what the client sent, so nothing a signer typed reaches a response, a log or a metric through an error.
public struct APIError: HTTPResponseError, Equatable {
    public let status: HTTPResponse.Status
    public let code: String
    public let message: String
    public var headers: HTTPFields = [:]

    public init(_ status: HTTPResponse.Status, _ code: String, _ message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        // Sorted keys: one error gives byte-identical bodies, so the answers to bad tokens cannot be told apart.
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let body = try encoder.encode(["error": code, "message": message])
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        fields[.cacheControl] = "no-store"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    static let invalidJSON = APIError(.badRequest, "invalid-json", "The body is not the JSON this endpoint takes.")
    static let badQuery = APIError(.badRequest, "bad-query", "The query parameters are missing or outside the log.")
    static let invalidForm = APIError(.badRequest, "invalid-form", "The form could not be read; reload the page and try again.")
    static let `internal` = APIError(.internalServerError, "internal", "Something went wrong on our side; try again later.")
    static let unsupportedMediaType = APIError(.unsupportedMediaType, "unsupported-media-type", "Send the body as application/json.")
    static let bodyTooLarge = APIError(.contentTooLarge, "body-too-large", "The body is larger than 4 KiB.")
    static let incompleteBody = APIError(.badRequest, "incomplete-body", "The body ended early or its chunks were malformed; send it again.")
    static let unauthorized: APIError = {
        var error = APIError(.unauthorized, "unauthorized", "This needs a valid bearer token: Authorization: Bearer cst_… (countersign tokens create).")
        error.headers[.wwwAuthenticate] = "Bearer realm=\"countersign\""
        return error
    }()
    static let exportNeedsPost = APIError(
        .forbidden, "export-needs-post",
        "A dashboard session exports with the dashboard's buttons (a POST with its form's CSRF pair), so that a link cannot record a release; an API client sends Authorization: Bearer.")
    static let forbidden = APIError(.forbidden, "forbidden", "This token is for another role or another petition.")
    static let proofOfWorkOff = APIError(.notFound, "proof-of-work-off", "This service runs without proof of work (--proof-of-work off): sign without one.")
    static let unknownPetition = APIError(.notFound, "unknown-petition", SigningError.unknownPetition().reason)
    static let invalidToken = APIError(.badRequest, "invalid-token", SigningError.invalidToken(nil).reason)
    static let expiredToken = APIError(.gone, "expired-token", SigningError.expiredToken().reason)

    /// The path is served, but not for this method (RFC 9110 §15.5.6); `allowed` are the methods it takes.
    static func methodNotAllowed(allowed: [HTTPRequest.Method]) -> APIError {
        var error = APIError(.methodNotAllowed, "method-not-allowed", "This path does not take this method; the Allow header lists those it takes.")
        error.headers[.allow] = allowed.map(\.rawValue).joined(separator: ", ")
        return error
    }

    static func rateLimited(retryAfter seconds: Double) -> APIError {
        var error = APIError(.tooManyRequests, "rate-limited", "Too many requests from your network. Try again later.")
        error.headers[.retryAfter] = String(Int(seconds.rounded(.up)))
        return error
    }

    /// This instance lacks the log key the audit log names as newest, even after re-reading the keyring file.
    static func logKeyMissing(kid: String) -> APIError {
        var error = APIError(
            .serviceUnavailable, "log-key-missing",
            "This instance does not hold log key \(kid), which the audit log names as current. Copy the keyring to it; until then another instance serves the checkpoint.")
        error.headers[.retryAfter] = "60"
        return error
    }

    static func mailQueueFull() -> APIError {
        var error = APIError(.serviceUnavailable, "mail-queue-full", "Too many messages are waiting to be sent. Try again in a minute.")
        error.headers[.retryAfter] = "60"
        return error
    }

    /// The API answer for a refused proof of work: 403 when one is demanded and none was sent, 400 otherwise.
    static func from(_ error: ProofOfWorkError) -> APIError {
        switch error.code {
        case .required: APIError(.forbidden, "proof-of-work-required", error.reason)
        case .expired: APIError(.badRequest, "expired-proof-of-work", error.reason)
        case .spent: APIError(.badRequest, "spent-proof-of-work", error.reason)
        case .stale: APIError(.badRequest, "stale-proof-of-work", error.reason)
        default: APIError(.badRequest, "invalid-proof-of-work", error.reason)
        }
    }

    /// The API answer for a signing-flow error.
    static func from(_ error: SigningError) -> APIError {
        switch error.code {
        case .invalidEmail: APIError(.badRequest, "invalid-email", error.reason)
        case .unknownPetition: .unknownPetition
        case .petitionNotOpen: APIError(.conflict, "petition-not-open", error.reason)
        case .invalidRegion: APIError(.badRequest, "invalid-region", error.reason)
        case .invalidToken: .invalidToken
        case .expiredToken: .expiredToken
        default: .internal
        }
    }
}
