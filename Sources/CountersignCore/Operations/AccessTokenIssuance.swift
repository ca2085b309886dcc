import Foundation

/// `countersign tokens create`: mints an organizer or auditor token and stores its hash.
public enum AccessTokenIssuance {
    /// Returns the token's text, to show once, and what the store keeps of it. Refuses a petition the store lacks.
    public static func run(
        role: AccessRole, petition slug: PetitionSlug?, store: any PetitionStore & AccessTokenStore, now: Date
    ) async throws -> (text: String, token: AccessToken) {
        let (text, token) = try AccessToken.generate(role: role, petition: slug, now: now)
        if let slug, try await store.petition(slug) == nil { throw StoreError.unknownPetition(slug) }
        try await store.createAccessToken(token)
        return (text, token)
    }
}
