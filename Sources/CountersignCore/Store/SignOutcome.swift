/// What ``SignerLedger/sign(_:)`` did. The HTTP answer is the same in both cases; only the mail differs.
public enum SignOutcome: Sendable, Equatable {
    /// A pending confirmation was created or refreshed: mail the confirmation link.
    case pending
    /// This pseudonym already has a confirmed signature: mail "you already signed" (the pending row written
    /// meanwhile only ever confirms as already-confirmed).
    case alreadyConfirmed
}
