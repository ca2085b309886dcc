import Foundation

/// A request waiting for the signer to click a mailed link: the pseudonym, the token id that link
/// carries, and when it stops being valid. The token itself is never stored.
public struct PendingRequest: Sendable, Equatable {
    public var slug: PetitionSlug
    public var pseudonym: Pseudonym
    /// The region the signer picked (sign only); must be one of the petition's regions.
    public var region: String?
    public var tokenID: TokenID
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
        self.expiresAt = PetitionRecord.wholeSeconds(expiresAt)
        self.keyLayers = keyLayers
    }
}

/// The random 16-byte id of a token: the only part of a token the store keeps.
public struct TokenID: Sendable, Hashable {
    public let bytes: [UInt8]

    public init(bytes: [UInt8]) throws(TokenError) {
        guard bytes.count == Token.idLength else { throw .malformed() }
        self.bytes = bytes
    }

    /// The id of a verified token.
    public init(_ token: Token) {
        self.bytes = token.id
    }
}
