import Foundation

/// A request waiting for the signer to click a mailed link: the pseudonym, the token id that link
/// carries, and when it stops being valid, rounded up to the hour. The token itself is never stored; it keeps its exact
/// expiry, which ``TokenAuthority`` checks before the store is asked.
public struct PendingRequest: Sendable, Equatable {
    public var slug: PetitionSlug
    public var pseudonym: Pseudonym
    /// The region the signer picked (sign only); must be one of the petition's regions.
    public var region: String?
    public var tokenID: TokenID
    /// The expiry, rounded up to a whole UTC hour: no time stored beside a pseudonym is finer than an hour.
    public var expiresAt: Date
    /// How many re-keying layers the pseudonym went through; the store refuses the request if the petition has
    /// been re-keyed since (``StoreError/Code/rekeyed``), so a pseudonym with a stale layering is never stored.
    public var keyLayers: Int

    public init(
        slug: PetitionSlug, pseudonym: Pseudonym, region: String? = nil, tokenID: TokenID, expiresAt: Date, keyLayers: Int = 0
    ) {
        self.slug = slug
        self.pseudonym = pseudonym
        self.region = region
        self.tokenID = tokenID
        self.expiresAt = Self.hourCeiling(expiresAt)
        self.keyLayers = keyLayers
    }

    /// `date` rounded up to the next whole UTC hour (itself when it is one).
    public static func hourCeiling(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 / 3600).rounded(.up) * 3600)
    }
}
