import Foundation

/// A petition as the store keeps it: its definition, its random salt, its wrapped key, its state and dates.
/// No signer data.
public struct PetitionRecord: Sendable, Equatable {
    public var slug: PetitionSlug
    public var title: String
    public var text: String
    /// The regions a signer may pick from, in order; empty when the petition asks for none.
    public var regions: [String]
    /// The petition's random 16-byte pseudonym salt.
    public var salt: [UInt8]
    /// The petition key, wrapped under a master key; `nil` once the key is shredded.
    public var wrappedKey: WrappedPetitionKey?
    /// Emergency re-keying layers, oldest first, each wrapped like ``wrappedKey``: a pseudonym is
    /// `HMAC(Kn, … HMAC(K1, P))` over the base pseudonym `P` (`countersign keys rekey`). Empty until a re-key.
    public var keyLayers: [WrappedPetitionKey]
    public var state: PetitionState
    public var createdAt: Date
    public var closedAt: Date?
    public var keyShreddedAt: Date?

    public init(
        slug: PetitionSlug, title: String, text: String, regions: [String], salt: [UInt8], wrappedKey: WrappedPetitionKey?,
        keyLayers: [WrappedPetitionKey] = [], state: PetitionState = .open, createdAt: Date, closedAt: Date? = nil, keyShreddedAt: Date? = nil
    ) {
        self.slug = slug
        self.title = title
        self.text = text
        self.regions = regions
        self.salt = salt
        self.wrappedKey = wrappedKey
        self.keyLayers = keyLayers
        self.state = state
        self.createdAt = Self.wholeSeconds(createdAt)
        self.closedAt = closedAt.map(Self.wholeSeconds)
        self.keyShreddedAt = keyShreddedAt.map(Self.wholeSeconds)
    }

    /// Stores keep petition dates to the second, so records compare equal after a round trip.
    static func wholeSeconds(_ date: Date) -> Date {
        Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
    }
}
