/// One row of an export's breakdown: a day or region and its count, or no count when the cell is suppressed.
public struct ExportCell: Sendable, Hashable {
    /// The day (`YYYY-MM-DD`) or region name, or `(none)` for signatures without a region.
    public var key: String
    /// The count shown, or `nil` when ``Suppression`` hid it.
    public var count: Int?

    /// A cell showing `count`, or a suppressed cell when `count` is `nil`.
    public init(key: String, count: Int?) {
        self.key = key
        self.count = count
    }

    /// Whether the count is hidden; exactly when ``count`` is `nil`.
    public var suppressed: Bool { count == nil }
}
