/// Why an audit artefact (a signed note, a checkpoint, a verifier key) was refused.
public enum AuditError: Error, Equatable, Sendable, CustomStringConvertible {
    case malformedNote
    case malformedCheckpoint
    case malformedVerifierKey
    case crypto(String)

    public var description: String {
        switch self {
        case .malformedNote: "not a signed note: a text ending in a newline, a blank line, and `— NAME BASE64` signature lines"
        case .malformedCheckpoint: "not a checkpoint: an origin line, a tree size and a base64 root hash"
        case .malformedVerifierKey: "not a verifier key: NAME+HEXKEYID+BASE64(0x01 ‖ Ed25519 public key), with an id that matches"
        case .crypto(let reason): reason
        }
    }
}
