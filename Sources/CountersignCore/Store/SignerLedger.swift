import Foundation

/// The signers' records: pending requests, signatures and the aggregates they feed.
public protocol SignerLedger: Sendable {
    /// Records a pending confirmation (an upsert: a newer link replaces an older one for the same signer) and
    /// says whether the pseudonym has signed already. The write happens in both cases, so that the two cost the
    /// same and a response time does not tell them apart; confirming the pending row of a signer who has
    /// signed answers already-confirmed. Refuses what ``PetitionAdmission`` refuses.
    func sign(_ request: PendingRequest) async throws(StoreError) -> SignOutcome

    /// Consumes a confirmation token id as ``PendingConsumption`` decides: marks the signature confirmed on `date`'s
    /// UTC day, adds it to the aggregates, keeps the commitment `commit` makes for the petition beside it and adds
    /// `confirm c` to the petition's open count epoch (``CountLogStore``). A second use of the same id answers
    /// ``ConfirmOutcome/alreadyConfirmed``. The receipt's secret stays with the caller: the store sees only `c`.
    func confirm(
        tokenID: TokenID, at date: Date, commit: @escaping @Sendable (PetitionSlug) throws -> ReceiptCommitment
    ) async throws(StoreError) -> ConfirmOutcome

    /// Records a pending withdrawal (an upsert, as for a sign) and says whether the pseudonym has a confirmed signature.
    /// The write happens in both cases, so that the two cost the same; confirming nothing, the row of a pseudonym
    /// without a signature only ever withdraws as already-withdrawn.
    func requestWithdrawal(_ request: PendingRequest) async throws(StoreError) -> WithdrawalRequestOutcome

    /// Consumes a withdrawal token id: deletes the signature, subtracts it from the aggregates and, when the signature
    /// has a commitment (one confirmed since the count log began), adds `withdraw c` to the open count epoch.
    func withdraw(tokenID: TokenID, at date: Date) async throws(StoreError) -> WithdrawOutcome

    /// The maintained aggregates of a petition.
    func aggregates(_ slug: PetitionSlug) async throws(StoreError) -> Aggregates

    /// The maintained aggregates and a recount from the signature rows, read from one snapshot, for
    /// `countersign store check`.
    func recount(_ slug: PetitionSlug) async throws(StoreError) -> Recount

    /// Deletes pending confirmations and withdrawals that expired at or before `date`; returns how many.
    func purgeExpired(at date: Date) async throws(StoreError) -> Int
}
