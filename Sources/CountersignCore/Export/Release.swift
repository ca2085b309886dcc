import Foundation

/// One release of a petition's breakdown to an organizer, as the privacy ledger records it.
public struct Release: Sendable, Equatable {
    public let slug: PetitionSlug
    /// The breakdown released: `day` or `region`. Totals are exact and public, so they are not recorded.
    public let breakdown: String
    /// The epsilon spent, in millionths; `nil` for an exact release (suppression only, no noise).
    public let epsilonMicros: Int64?
    public let date: Date
    /// Keys of completed days an exact day release suppressed: later exact releases keep them suppressed, so that
    /// two releases hiding different cells cannot be subtracted (past days only change by withdrawal; see ``completed``).
    public var hidden: [String]
    /// The true counts of the cells an exact release covered: completed days, or regions. A withdrawal lowers a past
    /// day; a later exact day release then could be subtracted from this one, so ``PrivacyLedger`` refuses it.
    public var completed: [String: Int]

    public init(
        slug: PetitionSlug, breakdown: String, epsilonMicros: Int64?, date: Date, hidden: [String] = [], completed: [String: Int] = [:]
    ) {
        self.slug = slug
        self.breakdown = breakdown
        self.epsilonMicros = epsilonMicros
        self.date = PetitionRecord.wholeSeconds(date)
        self.hidden = hidden
        self.completed = completed
    }

    /// Whether `other` is an exact release of the same breakdown on the same UTC day, which the ledger merges into
    /// this one instead of adding a row (a dashboard viewed all day is one release a day).
    public func merges(_ other: Release) -> Bool {
        epsilonMicros == nil && other.epsilonMicros == nil && breakdown == other.breakdown && UTCDay.of(date) == UTCDay.of(other.date)
    }
}
