/// The life-cycle state of a keyring entry, as in Tink's keysets.
public enum KeyStatus: String, Codable, Sendable, CaseIterable {
    /// Used for new work: wrapping, issuing tokens, signing checkpoints. One per purpose.
    case primary
    /// Still accepted for old work (unwrapping, verifying tokens), never used for new work.
    case verifyOnly = "verify-only"
    /// Kept but refused everywhere; can be re-enabled by an operator.
    case disabled
    /// Material erased; metadata kept so the audit trail still names it.
    case destroyed

    /// Whether data made under a key in this status may still be verified or unwrapped.
    public var acceptsExistingWork: Bool { self == .primary || self == .verifyOnly }
}
