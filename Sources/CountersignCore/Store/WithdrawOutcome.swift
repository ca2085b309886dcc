/// What ``SignerLedger/withdraw(tokenID:at:)`` did.
public enum WithdrawOutcome: Sendable, Equatable {
    /// The signature was deleted and the aggregates decremented, now.
    case withdrawn
    /// The token was used before, or the signature is already gone: nothing changed.
    case alreadyWithdrawn
    case unknownToken
    case expired
}

extension WithdrawOutcome {
    /// The answer to a withdrawal that ``PendingConsumption`` refused.
    public init(_ refusal: PendingConsumption.Refusal) {
        switch refusal {
        case .unknown: self = .unknownToken
        case .replay: self = .alreadyWithdrawn
        case .expired: self = .expired
        }
    }
}
