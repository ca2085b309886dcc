import CountersignCore
import HTTPTypes
import Hummingbird

/// `GET /petitions/{slug}/count.svg`: the count badge (``CountBadge``), for other sites to embed with `<img>`.
///
/// It follows the count's cache rules: the image is drawn from a per-second cache, as the API's count is, so a badge on a
/// busy page costs the store one read a second, and others may keep it for that second (``CacheControl/perSecond``).
/// `Cross-Origin-Resource-Policy: cross-origin` lets a page that isolates itself (`Cross-Origin-Embedder-Policy:
/// require-corp`) embed it; an `<img>` needs nothing else from us (our CSP governs our own documents, not who embeds).
struct BadgeRoutes: Sendable {
    let store: any PetitionStore & SignerLedger
    let badges = PerSecondCache<PetitionSlug, ByteBuffer>()

    func add(to router: Router<CountersignRequestContext>) {
        router.get("petitions/:slug/count.svg") { _, context in try await badge(context.parameters.get("slug")) }
    }

    private func badge(_ text: String?) async throws(APIError) -> Response {
        guard let text, let slug = try? PetitionSlug(text) else { throw .unknownPetition }
        let body = try await badges.value(for: slug) { () throws(APIError) -> ByteBuffer? in
            do {
                guard let petition = try await store.petition(slug) else { return nil }
                return ByteBuffer(string: CountBadge.svg(count: try await store.aggregates(slug).total, title: petition.title))
            } catch let error as StoreError {
                throw error.code == .unknownPetition ? .unknownPetition : .from(.store(error))
            } catch {
                throw .internal
            }
        }
        guard let body else { throw .unknownPetition }
        return Response(
            status: .ok,
            headers: [
                .contentType: "image/svg+xml", .cacheControl: CacheControl.perSecond, .crossOriginResourcePolicy: "cross-origin",
            ],
            body: .init(byteBuffer: body))
    }
}
