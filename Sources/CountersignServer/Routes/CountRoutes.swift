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
/// live count (``APIRoutes``), since the log grows at every epoch (``CacheControl``). `HEAD` answers as `GET` without the
/// body, as everywhere (the router's rule).
struct CountRoutes: Sendable {
    let signer: CountCheckpointSigner
    var logs: CountLogCache { signer.logs }

    func add(to router: Router<CountersignRequestContext>) {
        let count = router.group("count")
        count.get(":slug/checkpoint") { _, context in try await checkpoint(context) }
        count.get(":slug/tile/**") { _, context in try await tile(context) }
    }

    private func checkpoint(_ context: some RequestContext) async throws -> Response {
        let note = try await Self.answering { try await signer.checkpoint(try Self.slug(context)) }
        return Response(
            status: .ok, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: CacheControl.perSecond],
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
            headers: [.contentType: "application/octet-stream", .cacheControl: path.isPartial ? CacheControl.perSecond : CacheControl.immutable],
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
}
