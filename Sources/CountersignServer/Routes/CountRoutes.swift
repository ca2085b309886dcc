import CountersignCore
import Foundation
import Hummingbird

/// Each petition's count log as C2SP tlog-tiles (`Docs/auditing.md`, "The count log"), so that any tiles client reads
/// it and computes its own proofs:
///
///     GET /count/{slug}/checkpoint                  the signed count checkpoint and its witnesses' cosignatures
///     GET /count/{slug}/tile/{L}/{N}[.p/{W}]        a tile of hashes
///     GET /count/{slug}/tile/entries/{N}[.p/{W}]    an entry bundle
///
/// A full tile never changes and is cached for a year; a partial tile and the checkpoint are cached as briefly as the
/// live count (``APIRoutes``), since the log grows at every epoch. `HEAD` answers as `GET` without the body.
struct CountRoutes: Sendable {
    let signer: CountCheckpointSigner
    var logs: CountLogCache { signer.logs }

    /// How long a checkpoint or a partial tile may be cached: a second, as the live count is (``PerSecondCache``).
    static let shortLived = "public, max-age=1"
    static let immutable = "public, max-age=31536000, immutable"

    func add(to router: Router<CountersignRequestContext>) {
        let count = router.group("count")
        count.get(":slug/checkpoint") { _, context in try await checkpoint(context) }
        count.head(":slug/checkpoint") { _, context in Self.headOnly(try await checkpoint(context)) }
        count.get(":slug/tile/**") { _, context in try await tile(context) }
        count.head(":slug/tile/**") { _, context in Self.headOnly(try await tile(context)) }
    }

    private func checkpoint(_ context: some RequestContext) async throws -> Response {
        let note = try await Self.answering { try await signer.checkpoint(try Self.slug(context)) }
        return Response(
            status: .ok, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: Self.shortLived],
            body: .init(byteBuffer: ByteBuffer(string: note.encoded)))
    }

    private func tile(_ context: some RequestContext) async throws -> Response {
        let slug = try Self.slug(context)
        let path: TilePath
        // A client built from `Docs/openapi.yaml` sends the tile path as one path parameter, its slashes escaped
        // (`tile/0%2F000`), as OpenAPI requires; it names the same tile as `tile/0/000`.
        let given = context.parameters.getCatchAll().joined(separator: "/")
        do {
            path = try TilePath(path: "tile/" + (given.removingPercentEncoding ?? given))
        } catch {
            throw APIError(.badRequest, "malformed-tile-path", error.reason)
        }
        guard let bytes = try await Self.answering({ try await logs.tile(slug, path) }) else {
            throw APIError(.notFound, "no-such-tile", "The count log is not that large yet: read the checkpoint for its size.")
        }
        return Response(
            status: .ok,
            headers: [.contentType: "application/octet-stream", .cacheControl: path.isPartial ? Self.shortLived : Self.immutable],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// Runs `body`, answering an unknown petition with 404 and any other store failure as the API does.
    private static func answering<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as StoreError {
            throw error.code == .unknownPetition ? APIError.unknownPetition : APIError.from(.store(error))
        }
    }

    private static func slug(_ context: some RequestContext) throws(APIError) -> PetitionSlug {
        guard let text = context.parameters.get("slug"), let slug = try? PetitionSlug(text) else { throw .unknownPetition }
        return slug
    }

    /// The answer to `HEAD`: the `GET` answer's status and headers, with its length and no body.
    private static func headOnly(_ response: Response) -> Response {
        var headers = response.headers
        if let length = response.body.contentLength { headers[.contentLength] = String(length) }
        return Response(status: response.status, headers: headers, body: .init())
    }
}
