/// What ``SignerLedger/confirm(tokenID:at:commit:)`` did.
public enum ConfirmOutcome: Sendable, Equatable {
    /// The signature was recorded and counted, now, and its `confirm c` waits in epoch `epoch` of the count log of
    /// petition `slug`: what a receipt names.
    case confirmed(slug: PetitionSlug, epoch: Int)
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

extension ConfirmOutcome {
    /// Whether this confirmation counted.
    public var counted: Bool {
        if case .confirmed = self { true } else { false }
    }
}
