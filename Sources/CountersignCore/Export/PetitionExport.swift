import Foundation

/// One organizer export, from the HTTP API, the dashboard or `countersign export`: reads the petition's maintained
/// aggregates (so its cost does not grow with the number of signatures), builds the suppressed (and optionally
/// noisy) ``ExportTable``, and records the release in the privacy ledger before anything is returned.
public struct PetitionExport: Sendable {
    public let store: any SignatureStore
    /// The operator's smallest publishable cell (at least 2); a request may ask for a larger k, never a smaller one.
    public let minimumK: Int
    /// The total ε each petition may spend on noisy releases, in millionths.
    public let budgetMicros: Int64

    public init(store: any SignatureStore, minimumK: Int = Suppression.defaultK, budgetMicros: Int64 = PrivacyLedger.defaultBudgetMicros) {
        self.store = store
        self.minimumK = max(2, minimumK)
        self.budgetMicros = budgetMicros
    }

    /// The export of `slug` by `breakdown`, with cells below `k` (default ``minimumK``) suppressed, and with
    /// discrete Laplace noise when `epsilon` is given.
    ///
    /// Throws ``ExportError`` for a bad request (k below the minimum, no regions) and ``StoreError`` when the
    /// petition is unknown or the ledger refuses the release.
    public func table(
        _ slug: PetitionSlug, by breakdown: ExportBreakdown, k: Int? = nil, epsilon: Epsilon? = nil, now: Date
    ) async throws -> ExportTable {
        let k = k ?? minimumK
        guard k >= minimumK else { throw ExportError.kBelowMinimum(minimumK) }
        guard let petition = try await store.petition(slug) else { throw StoreError.unknownPetition(slug) }
        let table = try ExportTable.make(
            petition: petition, aggregates: try await store.aggregates(slug), breakdown: breakdown, k: k, epsilon: epsilon, today: now)
        if breakdown != .total {
            try await store.recordRelease(
                Release(slug: slug, breakdown: breakdown.rawValue, epsilonMicros: epsilon.map { Int64($0.micros) }, date: now),
                budgetMicros: budgetMicros)
        }
        return table
    }
}
