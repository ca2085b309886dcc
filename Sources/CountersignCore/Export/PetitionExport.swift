import Foundation

/// One organizer export, from the HTTP API, the dashboard or `countersign export`: reads the petition's maintained
/// aggregates (so its cost does not grow with the number of signatures), builds the suppressed (and optionally
/// noisy) ``ExportTable``, and records the release in the privacy ledger before anything is returned.
public struct PetitionExport: Sendable {
    public let store: any PetitionStore & SignerLedger & ReleaseStore
    /// The operator's smallest publishable cell (at least 2); a request may ask for a larger k, never a smaller one.
    public let minimumK: Int
    /// The largest `k` an export may ask for (``Suppression/defaultMaximumK``).
    public let maximumK: Int
    /// The total ε each petition may spend on noisy releases, in millionths.
    public let budgetMicros: Int64

    public init(
        store: any PetitionStore & SignerLedger & ReleaseStore, minimumK: Int = Suppression.defaultK, maximumK: Int = Suppression.defaultMaximumK,
        budgetMicros: Int64 = PrivacyLedger.defaultBudgetMicros
    ) {
        self.store = store
        self.minimumK = max(2, minimumK)
        self.maximumK = max(self.minimumK, maximumK)
        self.budgetMicros = budgetMicros
    }

    /// The export of `slug` by `breakdown`, with cells below `k` (default ``minimumK``) suppressed, and with
    /// discrete Laplace noise when `epsilon` is given; the release is recorded in the ledger first.
    ///
    /// Throws ``ExportError`` for a bad request (k below the minimum, no regions) and ``StoreError`` when the
    /// petition is unknown or the ledger refuses the release.
    public func table(
        _ slug: PetitionSlug, by breakdown: ExportBreakdown, k: Int? = nil, epsilon: Epsilon? = nil, now: Date
    ) async throws -> ExportTable {
        let (table, aggregates) = try await make(slug, by: breakdown, k: k, epsilon: epsilon, now: now)
        try await record(table, aggregates, now: now)
        return table
    }

    /// ``table(_:by:k:epsilon:now:)`` rendered in `format`; the rendering happens before the release is recorded, so a
    /// failure to render spends nothing.
    public func rendered(
        _ slug: PetitionSlug, by breakdown: ExportBreakdown, format: ExportFormat, k: Int? = nil, epsilon: Epsilon? = nil, now: Date
    ) async throws -> (table: ExportTable, body: String) {
        let (table, aggregates) = try await make(slug, by: breakdown, k: k, epsilon: epsilon, now: now)
        let body = try table.render(format)
        try await record(table, aggregates, now: now)
        return (table, body)
    }

    /// What ``table(_:by:k:epsilon:now:)`` would answer, short of releasing it: the table is built and its release checked
    /// against the ledger, which is read and never written. A `HEAD` of an export answers from this, so it gets the status
    /// the `GET` would get (a refused release included) and spends nothing. Throws as ``table(_:by:k:epsilon:now:)`` does.
    public func checked(
        _ slug: PetitionSlug, by breakdown: ExportBreakdown, k: Int? = nil, epsilon: Epsilon? = nil, now: Date
    ) async throws -> ExportTable {
        let (table, aggregates) = try await make(slug, by: breakdown, k: k, epsilon: epsilon, now: now)
        if let release = Self.release(table, aggregates, now: now) {
            try PrivacyLedger.admit(release, after: try await store.releases(slug), budgetMicros: budgetMicros)
        }
        return table
    }

    private func make(
        _ slug: PetitionSlug, by breakdown: ExportBreakdown, k: Int?, epsilon: Epsilon?, now: Date
    ) async throws -> (ExportTable, Aggregates) {
        let k = k ?? minimumK
        guard k >= minimumK else { throw ExportError.kBelowMinimum(minimumK) }
        guard k <= maximumK else { throw ExportError.kAboveMaximum(maximumK) }
        guard let petition = try await store.petition(slug) else { throw StoreError.unknownPetition(slug) }
        // What earlier exact releases of this breakdown hid and showed; a noisy release is protected by its noise instead.
        let history = epsilon == nil
            ? ReleaseHistory.of(try await store.releases(slug), breakdown: breakdown, keys: ExportTable.regionKeys(petition)) : .none
        let aggregates = try await store.aggregates(slug)
        let table = try ExportTable.make(
            petition: petition, aggregates: aggregates, breakdown: breakdown, k: k, epsilon: epsilon, today: now, history: history)
        return (table, aggregates)
    }

    /// The exact count of cell `key` of `table`, as the ledger keeps it for an exact release.
    private static func trueCount(_ key: String, _ table: ExportTable, _ aggregates: Aggregates) -> Int {
        switch table.breakdown {
        case .day: aggregates.byDay[key] ?? 0
        case .region where key == ExportTable.noRegionKey: max(0, aggregates.total - aggregates.byRegion.values.reduce(0, +))
        case .region: aggregates.byRegion[key] ?? 0
        case .total: aggregates.total
        }
    }

    /// Records a day or region release in the ledger (totals are public and not recorded).
    private func record(_ table: ExportTable, _ aggregates: Aggregates, now: Date) async throws {
        guard let release = Self.release(table, aggregates, now: now) else { return }
        try await store.recordRelease(release, budgetMicros: budgetMicros)
    }

    /// The ledger row `table` makes, or `nil` for a total (public, never recorded).
    private static func release(_ table: ExportTable, _ aggregates: Aggregates, now: Date) -> Release? {
        guard table.breakdown != .total else { return nil }
        let exact = table.epsilon == nil
        return Release(
            slug: table.petition, breakdown: table.breakdown.rawValue, epsilonMicros: table.epsilon.map { Int64($0.micros) }, date: now,
            hidden: exact ? table.cells.filter(\.suppressed).map(\.key) : [],
            completed: exact ? Dictionary(uniqueKeysWithValues: table.cells.map { ($0.key, trueCount($0.key, table, aggregates)) }) : [:])
    }
}
