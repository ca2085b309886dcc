/// Where a petition is in its life.
public enum PetitionState: String, Sendable, Codable, CaseIterable {
    /// Collecting: signs, confirmations and withdrawals are accepted.
    case open
    /// Collection stopped for now (the kill switch): no signs or confirmations; withdrawals still work.
    case paused
    /// Final: the count no longer changes. After the retention period its key can be shredded.
    case closed
}
