/// The privacy ledger's releases.
public protocol ReleaseStore: Sendable {
    /// Records a release as ``PrivacyLedger/record(_:after:budgetMicros:)`` decides, in the transaction that reads the
    /// earlier releases, so two concurrent releases cannot both spend the last of a budget.
    func recordRelease(_ release: Release, budgetMicros: Int64) async throws(StoreError)

    /// The releases of a petition, oldest first.
    func releases(_ slug: PetitionSlug) async throws(StoreError) -> [Release]
}
