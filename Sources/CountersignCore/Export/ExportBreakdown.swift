/// How an export divides a petition's confirmed signatures: its `by` parameter.
public enum ExportBreakdown: String, Sendable, Hashable, CaseIterable {
    /// The total only, with no cells.
    case total
    /// One cell per UTC day of the petition's life.
    case day
    /// One cell per region the petition lists, then one for signatures without a region.
    case region

    /// The breakdown named `text` (`total`, `day` or `region`).
    public init(parsing text: String) throws(ExportError) {
        guard let breakdown = Self(rawValue: text) else { throw .invalidBreakdown }
        self = breakdown
    }
}
