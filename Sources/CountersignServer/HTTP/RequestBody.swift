import Foundation
import Hummingbird
import NIOCore
import NIOFoundationCompat

/// Reading request bodies under Countersign's limits: 4 KiB at most, JSON or form bodies only where a route expects
/// them, and no field given twice (``StrictJSON``), so that a request means one thing to every reader.
enum RequestBody {
    static let limit = 4096

    /// Decodes a JSON body of at most 4 KiB; refuses another content type.
    static func json<T: Decodable>(_ type: T.Type, from request: Request) async throws(APIError) -> T {
        guard mediaType(of: request) == "application/json" else { throw .unsupportedMediaType }
        let bytes = try await collect(request)
        guard StrictJSON.isAcceptable(Array(buffer: bytes)) else { throw .invalidJSON }
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer: bytes))
        } catch {
            throw .invalidJSON
        }
    }

    /// Decodes an `application/x-www-form-urlencoded` body of at most 4 KiB (HTML forms).
    static func form(from request: Request) async throws(APIError) -> [String: String] {
        guard mediaType(of: request) == "application/x-www-form-urlencoded" else { throw .unsupportedMediaType }
        let bytes = try await collect(request)
        var fields: [String: String] = [:]
        for pair in String(buffer: bytes).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(parts[0]), fields[name] == nil else { throw .invalidForm }
            fields[name] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return fields
    }

    /// The media type of the body, without parameters such as `charset`, lowercased.
    private static func mediaType(of request: Request) -> String? {
        request.headers[.contentType]?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
    }

    private static func collect(_ request: Request) async throws(APIError) -> ByteBuffer {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit { throw .bodyTooLarge }
        var request = request
        do {
            return try await request.collectBody(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw .bodyTooLarge
        } catch {
            // A malformed chunk, or a client that closed before sending the body it announced.
            throw .incompleteBody
        }
    }

    private static func decode(_ component: Substring) -> String? {
        component.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
