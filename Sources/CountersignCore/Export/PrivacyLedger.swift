/// The rule every store applies, inside the transaction that records a ``Release``:
/// - a breakdown released exactly is never released with noise, and one released with noise is never
///   released exactly, so the exact and the noisy value of one cell never both go out;
/// - noisy releases of one petition spend from one epsilon budget (sequential composition), and a release
///   that would pass the budget is refused;
/// - an exact day release is refused once a completed day's count differs from an earlier exact release's;
/// - an exact release that shows a cell an earlier exact release of the breakdown withheld is refused: two releases
///   built at once, each before the other was recorded, could otherwise withhold different cells.
public enum PrivacyLedger {
    /// The default total epsilon per petition: ``Epsilon/defaultBudget``.
    public static var defaultBudgetMicros: Int64 { Int64(Epsilon.defaultBudget.micros) }

    /// What recording a release writes: a new ledger row, or new hidden keys merged into an earlier row.
    public enum Write: Sendable, Equatable {
        /// Insert `release` as row `seq`.
        case insert(seq: Int)
        /// Replace the hidden keys of row `seq` with `hidden`.
        case merge(seq: Int, hidden: [String])
    }

    /// Checks `release` against the petition's earlier releases (oldest first) and says what to write. An exact
    /// release of a breakdown already released exactly that UTC day (``Release/merges(_:)``) is merged into the
    /// latest such row, its hidden keys added.
    public static func record(_ release: Release, after earlier: [Release], budgetMicros: Int64) throws(StoreError) -> Write {
        try admit(release, after: earlier, budgetMicros: budgetMicros)
        guard let seq = earlier.lastIndex(where: { $0.merges(release) }) else { return .insert(seq: earlier.count) }
        return .merge(seq: seq, hidden: Array(Set(earlier[seq].hidden + release.hidden)).sorted())
    }

    /// Checks `release` against the petition's earlier releases; throws ``StoreError/Code/releaseRefused`` with
    /// what the organizer can do instead.
    static func admit(_ release: Release, after earlier: [Release], budgetMicros: Int64) throws(StoreError) {
        let same = earlier.filter { $0.breakdown == release.breakdown }
        if let epsilon = release.epsilonMicros {
            guard !same.contains(where: { $0.epsilonMicros == nil }) else {
                throw StoreError(.releaseRefused, "the \(release.breakdown) breakdown of \(release.slug) was released exactly; a noisy release of the same cells would add nothing but risk, so export it without epsilon")
            }
            let spent = earlier.compactMap(\.epsilonMicros).reduce(0, +)
            guard spent + epsilon <= budgetMicros else {
                throw StoreError(.releaseRefused, "releasing with epsilon \(decimal(epsilon)) would pass the privacy budget of \(release.slug): \(decimal(spent)) of \(decimal(budgetMicros)) is spent; ask for at most \(decimal(max(0, budgetMicros - spent)))")
            }
        } else {
            let withheld = Set(same.filter { $0.epsilonMicros == nil }.flatMap(\.hidden))
            if let shown = release.completed.keys.sorted().first(where: { withheld.contains($0) && !release.hidden.contains($0) }) {
                throw StoreError(.releaseRefused, "\(shown) of \(release.slug) was withheld by another exact release of the \(release.breakdown) breakdown recorded meanwhile, and showing it now would let the two be subtracted; export again")
            }
            for earlier in same where earlier.epsilonMicros == nil && release.breakdown == ExportBreakdown.day.rawValue {
                for (day, count) in release.completed where earlier.completed[day].map({ $0 != count }) ?? false {
                    throw StoreError(.releaseRefused, "the count of \(day) changed since an exact release of \(release.slug)'s days (a withdrawal), and another exact release could be subtracted from that one; the day breakdown cannot be released again (the total and the region breakdown still can)")
                }
            }
            guard !same.contains(where: { $0.epsilonMicros != nil }) else {
                throw StoreError(.releaseRefused, "the \(release.breakdown) breakdown of \(release.slug) was released with noise; an exact release would undo that protection, so export it with an epsilon")
            }
        }
    }

    private static func decimal(_ micros: Int64) -> String { Epsilon.decimal(micros: micros) }
}
