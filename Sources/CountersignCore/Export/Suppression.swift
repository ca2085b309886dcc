/// Small-cell suppression with complementary suppression, so that no published table reveals a count below `k`.
///
/// An export publishes its exact total beside its cells, and the cells of a breakdown add up to that total.
/// Hiding only the small cells would not be enough: one hidden cell is the total minus the shown ones, and
/// two hidden cells summing to 3 bound each other to 0...3. So, after hiding every cell below `k`
/// (primary suppression, zeros included), ``apply(_:k:)`` keeps hiding the smallest shown cell (the first
/// of equal ones) while the hidden cells are fewer than two or sum to less than `k` (complementary
/// suppression). A reader then knows only that at least two cells share at least `k` signatures between them.
///
/// A table of one cell shows that cell whatever its count: the cell equals the total, which is public anyway.
public enum Suppression {
    /// The threshold used when an export names none.
    public static let defaultK = 10
    /// The largest threshold an export may ask for unless the operator sets another (`exportMaximumK`): a cell hidden
    /// by an exact release stays hidden in every later release of its table, so one request with a huge k would hide
    /// every day and region for good.
    public static let defaultMaximumK = 100

    /// `k` itself if it is at least 2; a threshold of 1 would hide nothing.
    public static func checkedK(_ k: Int) throws(ExportError) -> Int {
        guard k >= 2 else { throw .invalidK }
        return k
    }

    /// The threshold written as `text`, a decimal whole number of at least 2.
    public static func parseK(_ text: String) throws(ExportError) -> Int {
        guard text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }), let k = Int(text) else {
            throw .invalidK
        }
        return try checkedK(k)
    }

    /// The cells in the order given, each shown exactly or suppressed, as the type's documentation describes.
    ///
    /// `k` is meant to come through ``checkedK(_:)``; a `k` below 2 is treated as 2 rather than hide less. Cells
    /// whose key is in `alwaysHidden` (hidden by an earlier release of the same table) are suppressed like cells
    /// below k, so that two releases cannot be subtracted from each other to reveal one.
    public static func apply(_ cells: [(key: String, count: Int)], k: Int, alwaysHidden: Set<String> = []) -> [ExportCell] {
        let k = max(k, 2)
        guard cells.count > 1 else { return cells.map { ExportCell(key: $0.key, count: $0.count) } }

        var hidden = cells.map { $0.count < k || alwaysHidden.contains($0.key) }
        var hiddenCount = hidden.count(where: { $0 })
        var hiddenSum = zip(cells, hidden).reduce(0) { $0 + ($1.1 ? $1.0.count : 0) }
        // The cells still shown, smallest first and, among equal counts, in table order.
        let candidates = cells.indices.filter { !hidden[$0] }.sorted { (cells[$0].count, $0) < (cells[$1].count, $1) }
        for index in candidates {
            guard hiddenCount > 0, hiddenCount < 2 || hiddenSum < k else { break }
            hidden[index] = true
            hiddenCount += 1
            hiddenSum += cells[index].count
        }
        return zip(cells, hidden).map { ExportCell(key: $0.key, count: $1 ? nil : $0.count) }
    }
}
