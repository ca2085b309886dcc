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
    /// The media type of the `Content-Type` header, lowercased, without parameters or surrounding blanks; read byte by
    /// byte, since this runs on every sign and Foundation's trimming and lowercasing showed in the sign profile.
    private static func mediaType(of request: Request) -> String? {
        guard let header = request.headers[.contentType] else { return nil }
        let bytes = header.utf8.prefix { $0 != UInt8(ascii: ";") }
        let isBlank = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        guard let first = bytes.firstIndex(where: { !isBlank($0) }), let last = bytes.lastIndex(where: { !isBlank($0) }) else { return "" }
        return String(decoding: bytes[first...last].map { (0x41...0x5A).contains($0) ? $0 + 32 : $0 }, as: UTF8.self)
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
