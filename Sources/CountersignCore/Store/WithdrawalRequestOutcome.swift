/// What ``SignerLedger/requestWithdrawal(_:)`` did.
public enum WithdrawalRequestOutcome: Sendable, Equatable {
    /// A pending withdrawal was created or refreshed: mail the withdrawal link.
    case pending
    /// This pseudonym has no confirmed signature on the petition: nothing was written.
    case noSignature
}
