import Foundation

/// A pending confirmation or withdrawal as a store reads it, locked, with its petition's state.
public struct PendingRow: Sendable, Equatable {
    public var slug: PetitionSlug
    public var state: PetitionState
    public var purpose: TokenPurpose
    public var region: String?
    public var expiresAt: Date
    /// Whether the token id was used already.
    public var consumed: Bool

    public init(slug: PetitionSlug, state: PetitionState, purpose: TokenPurpose, region: String?, expiresAt: Date, consumed: Bool) {
        self.slug = slug
        self.state = state
        self.purpose = purpose
        self.region = region
        self.expiresAt = expiresAt
        self.consumed = consumed
    }
}
