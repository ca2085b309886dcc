import Foundation

/// The proof-of-work challenges already used, remembered until they expire, so that a solution counts once. The
/// SQLite and in-memory stores keep them in memory (``SpentChallenges``: one process serves the file); the PostgreSQL
/// store keeps them in the database, so that two instances refuse the same replay.
public protocol SpentChallengeStore: Sendable {
    /// Records `spent`; true the first time, false when it was spent already. Nothing else changes.
    func spend(_ spent: SpentChallenge, at date: Date) async throws(StoreError) -> Bool
}
