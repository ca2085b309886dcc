extension PetitionState {
    /// Whether a petition in this state takes requests and token uses of `purpose`: signatures (and their
    /// confirmations) only while open, withdrawals until the petition closes.
    public func takes(_ purpose: TokenPurpose) -> Bool {
        switch purpose {
        case .confirm: self == .open
        case .withdraw: self != .closed
        }
    }

    /// Whether moving petition `slug` from this state to `next` changes it (`false` when it is there already);
    /// refuses to move a closed petition, which is final. The store records the date of a move to ``closed``.
    public func transition(to next: PetitionState, of slug: PetitionSlug) throws(StoreError) -> Bool {
        guard self != next else { return false }
        guard self != .closed else { throw .closedIsFinal(slug, next) }
        return true
    }
}
