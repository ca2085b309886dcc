/// What ``SignatureStore/sign(_:)`` did. The HTTP answer is the same in both cases; only the mail differs.
public enum SignOutcome: Sendable, Equatable {
    /// A pending confirmation was created or refreshed: mail the confirmation link.
    case pending
    /// This pseudonym already has a confirmed signature: mail "you already signed" (the pending row written
    /// meanwhile only ever confirms as already-confirmed).
    case alreadyConfirmed
}

/// What ``SignatureStore/confirm(tokenID:at:)`` did.
public enum ConfirmOutcome: Sendable, Equatable {
    /// The signature was recorded and counted, now.
    case confirmed
    /// The token was used before, or the pseudonym had already signed: nothing was counted.
    case alreadyConfirmed
    /// No pending confirmation has this id (never issued, superseded by a newer link, or purged).
    case unknownToken
    /// The pending confirmation expired before it was used.
    case expired
}

/// What ``SignatureStore/requestWithdrawal(_:)`` did.
public enum WithdrawalRequestOutcome: Sendable, Equatable {
    /// A pending withdrawal was created or refreshed: mail the withdrawal link.
    case pending
    /// This pseudonym has no confirmed signature on the petition: nothing was written.
    case noSignature
}

/// What ``SignatureStore/withdraw(tokenID:at:)`` did.
public enum WithdrawOutcome: Sendable, Equatable {
    /// The signature was deleted and the aggregates decremented, now.
    case withdrawn
    /// The token was used before, or the signature is already gone: nothing changed.
    case alreadyWithdrawn
    case unknownToken
    case expired
}
