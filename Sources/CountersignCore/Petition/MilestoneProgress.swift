/// How far a petition's count is on the way to its next milestone (`Milestone:` lines of the petition file,
/// ``PetitionDefinition/milestones``).
///
/// The next milestone is the smallest one above the count: a count that reaches a milestone exactly has passed it, and
/// the page moves on to the next. Past the last milestone there is no progress to show.
public struct MilestoneProgress: Sendable, Equatable {
    /// The confirmed count.
    public let count: Int
    /// The next milestone, above ``count``.
    public let target: Int

    /// The progress of `count` towards the first of `milestones` above it, or `nil` when there is none.
    public init?(count: Int, milestones: [Int]) {
        guard let target = milestones.filter({ $0 > count }).min() else { return nil }
        self.count = max(0, count)
        self.target = target
    }
}
