/// What a witness answers to an ``AddCheckpointRequest``, as ``WitnessState/decide(_:logs:)`` rules; the HTTP status
/// each case maps to is the one c2sp.org/tlog-witness prescribes.
public enum WitnessDecision: Sendable, Equatable {
    /// Every check passed: record the checkpoint, then cosign it (200).
    case cosign(Checkpoint)
    /// The witness cosigns no log of this origin (404).
    case unknownLog(String)
    /// No signature by a key trusted for the origin verifies, or one by a trusted key fails (403).
    case untrusted(String)
    /// The body does not parse, or the old size exceeds the checkpoint's (400).
    case badRequest(String)
    /// The old size is not the size the witness cosigned last, or the checkpoint has that size with another root:
    /// a split view (409, with the witness's size in the body).
    case conflict(knownSize: Int, String)
    /// The consistency proof does not show the cosigned tree inside the new one (422).
    case badProof(String)
}
