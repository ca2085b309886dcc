import Foundation

/// The signers' records: pending requests, signatures and the aggregates they feed.
public protocol SignerLedger: Sendable {
    /// Records a pending confirmation (an upsert: a newer link replaces an older one for the same signer) and
    /// says whether the pseudonym has signed already. The write happens in both cases, so that the two cost the
    /// same and a response time does not tell them apart; confirming the pending row of a signer who has
    /// signed answers already-confirmed. Refuses what ``PetitionAdmission`` refuses.
    func sign(_ request: PendingRequest) async throws(StoreError) -> SignOutcome

    /// Consumes a confirmation token id as ``PendingConsumption`` decides: marks the signature confirmed on `date`'s
    /// UTC day and adds it to the aggregates. A second use of the same id answers ``ConfirmOutcome/alreadyConfirmed``.
    func confirm(tokenID: TokenID, at date: Date) async throws(StoreError) -> ConfirmOutcome

    /// Records a pending withdrawal (an upsert, as for a sign) and says whether the pseudonym has a confirmed signature.
    /// The write happens in both cases, so that the two cost the same; confirming nothing, the row of a pseudonym
    /// without a signature only ever withdraws as already-withdrawn.
    func requestWithdrawal(_ request: PendingRequest) async throws(StoreError) -> WithdrawalRequestOutcome

    /// Consumes a withdrawal token id: deletes the signature and subtracts it from the aggregates.
    func withdraw(tokenID: TokenID, at date: Date) async throws(StoreError) -> WithdrawOutcome

    /// The maintained aggregates of a petition.
    func aggregates(_ slug: PetitionSlug) async throws(StoreError) -> Aggregates

    /// The maintained aggregates and a recount from the signature rows, read from one snapshot, for
    /// `countersign store check`.
    func recount(_ slug: PetitionSlug) async throws(StoreError) -> Recount

    /// Deletes pending confirmations and withdrawals that expired at or before `date`; returns how many.
    func purgeExpired(at date: Date) async throws(StoreError) -> Int
}
