import Foundation

/// Organizer and auditor tokens, kept as hashes.
public protocol AccessTokenStore: Sendable {
    /// Stores an organizer or auditor token (its hash only).
    func createAccessToken(_ token: AccessToken) async throws(StoreError)

    /// The token whose text hashes to `hash`, revoked or not.
    func accessToken(hash: [UInt8]) async throws(StoreError) -> AccessToken?

    /// Every token, oldest first.
    func accessTokens() async throws(StoreError) -> [AccessToken]

    /// Revokes the token with public id `id`; returns whether one was found (``AccessTokenRevocation``).
    func revokeAccessToken(id: String, at date: Date) async throws(StoreError) -> Bool
}
