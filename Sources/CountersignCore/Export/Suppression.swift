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

    /// The cells in the order given, each shown exactly or suppressed, as the type's documentation describes, taking
    /// the earlier exact releases of the same breakdown into account (``ReleaseHistory``):
    /// - a cell an earlier release hid stays hidden. A reader knows the sum of those from that release, so the cells
    ///   hidden now for the first time must protect each other on their own: at least two of them that no release has
    ///   shown, summing to at least `k`;
    /// - the withheld cells that no release has shown must still sum to at least `k` while any of them is below `k`,
    ///   since counts move between releases (a withdrawal lowers a region that stays withheld);
    /// - complements are chosen only among cells no earlier release showed, since hiding a known cell hides nothing.
    ///
    /// Throws ``ExportError/noSafeComplement`` when no such choice exists (every other cell is known already, or there
    /// are too few signatures): the release would pin a small cell. `k` is meant to come through ``checkedK(_:)``; a
    /// `k` below 2 is treated as 2. `Tests/CountersignCoreTests/ExportSubtractionTests.swift` plays random releases
    /// against an adversary who solves them all exactly.
    public static func apply(_ cells: [(key: String, count: Int)], k: Int, history: ReleaseHistory = .none) throws(ExportError) -> [ExportCell] {
        let k = max(k, 2)
        guard cells.count > 1 else { return cells.map { ExportCell(key: $0.key, count: $0.count) } }

        var hidden = cells.map { $0.count < k || history.hidden.contains($0.key) }
        let neverShown = { (index: Int) in !history.shown.contains(cells[index].key) }
        let fresh = { (index: Int) in neverShown(index) && !history.hidden.contains(cells[index].key) }
        let anySmall = cells.contains { $0.count < k }
        // The uncertainty that protects the withheld cells: among those withheld now for the first time, and among all.
        var newCount = 0, newSum = 0, unknownSum = 0
        for index in cells.indices where hidden[index] {
            if fresh(index) {
                newCount += 1
                newSum += cells[index].count
            }
            if neverShown(index) { unknownSum += cells[index].count }
        }
        let newlyHidden = cells.indices.contains { hidden[$0] && !history.hidden.contains(cells[$0].key) }
        let protected = { (!newlyHidden || (newCount >= 2 && newSum >= k)) && (!anySmall || unknownSum >= k) }
        // The cells still shown that no release showed, smallest first and, among equal counts, in table order.
        let candidates = cells.indices.filter { !hidden[$0] && fresh($0) }.sorted { (cells[$0].count, $0) < (cells[$1].count, $1) }
        for index in candidates where !protected() {
            hidden[index] = true
            newCount += 1
            newSum += cells[index].count
            unknownSum += cells[index].count
        }
        guard protected() else { throw .noSafeComplement }
        return zip(cells, hidden).map { ExportCell(key: $0.key, count: $1 ? nil : $0.count) }
    }
}
