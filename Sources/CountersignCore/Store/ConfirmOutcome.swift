/// What ``SignerLedger/confirm(tokenID:at:)`` did.
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

extension ConfirmOutcome {
    /// The answer to a confirmation that ``PendingConsumption`` refused.
    public init(_ refusal: PendingConsumption.Refusal) {
        switch refusal {
        case .unknown: self = .unknownToken
        case .replay: self = .alreadyConfirmed
        case .expired: self = .expired
        }
    }
}
