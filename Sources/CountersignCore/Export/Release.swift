import Foundation

/// One release of a petition's breakdown to an organizer, as the privacy ledger records it.
public struct Release: Sendable, Equatable {
    public let slug: PetitionSlug
    /// The breakdown released: `day` or `region`. Totals are exact and public, so they are not recorded.
    public let breakdown: String
    /// The epsilon spent, in millionths; `nil` for an exact release (suppression only, no noise).
    public let epsilonMicros: Int64?
    public let date: Date

    public init(slug: PetitionSlug, breakdown: String, epsilonMicros: Int64?, date: Date) {
        self.slug = slug
        self.breakdown = breakdown
        self.epsilonMicros = epsilonMicros
        self.date = PetitionRecord.wholeSeconds(date)
    }
}
