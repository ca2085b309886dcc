/// What ``SignerLedger/requestWithdrawal(_:)`` did.
public enum WithdrawalRequestOutcome: Sendable, Equatable {
    /// A pending withdrawal was created or refreshed: mail the withdrawal link.
    case pending
    /// This pseudonym has no confirmed signature on the petition: mail "this address has not signed". The pending row
    /// was written all the same, so that the two cost the same; its link is never mailed, and it is purged at expiry.
    case noSignature
}
