import CountersignCrypto

/// Why an audit artefact (a signed note, a checkpoint, a verifier key) was refused.
///
/// Equality compares the ``code`` only, so `AuditError.malformedNote` matches every refused note, while ``fileID`` and
/// ``line`` say which check refused it.
public struct AuditError: CodedError, Sendable {
    /// The kind of refusal.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Internal: String {
            case malformedNote = "malformed-note"
            case malformedCheckpoint = "malformed-checkpoint"
            case malformedVerifierKey = "malformed-verifier-key"
            case malformedWitnessKey = "malformed-witness-key"
            case malformedAddCheckpoint = "malformed-add-checkpoint"
            case crypto
        }

        private let value: Internal

        /// The text is not a C2SP signed note (``SignedNote``).
        public static var malformedNote: Self { .init(value: .malformedNote) }
        /// The note's body is not a C2SP checkpoint (``Checkpoint``).
        public static var malformedCheckpoint: Self { .init(value: .malformedCheckpoint) }
        /// The text is not a verifier key (``SignedNote/Verifier``) or its key id does not match.
        public static var malformedVerifierKey: Self { .init(value: .malformedVerifierKey) }
        /// The text is not a witness's cosignature verifier key (``WitnessVerifier``) or its key id does not match.
        public static var malformedWitnessKey: Self { .init(value: .malformedWitnessKey) }
        /// The text is not a tlog-witness `add-checkpoint` request body (``AddCheckpointRequest``).
        public static var malformedAddCheckpoint: Self { .init(value: .malformedAddCheckpoint) }
        /// Signing failed; the reason holds the cryptographic library's.
        public static var crypto: Self { .init(value: .crypto) }

        public var description: String { value.rawValue }

        /// What a refusal of this kind says when the thrower gives no reason of its own.
        var standardReason: String {
            switch value {
            case .malformedNote: "not a signed note: a text ending in a newline, a blank line, and `— NAME BASE64` signature lines"
            case .malformedCheckpoint: "not a checkpoint: an origin line, a tree size and a base64 root hash"
            case .malformedVerifierKey: "not a verifier key: NAME+HEXKEYID+BASE64(0x01 ‖ Ed25519 public key), with an id that matches"
            case .malformedWitnessKey:
                "not a witness verifier key: NAME+HEXKEYID+BASE64(0x04 ‖ Ed25519 public key), with an id that matches (c2sp.org/tlog-cosignature)"
            case .malformedAddCheckpoint:
                "not an add-checkpoint body: `old SIZE`, up to 63 base64 proof hashes one per line, an empty line, then the signed checkpoint"
            case .crypto: "a cryptographic operation failed"
            }
        }
    }

    public let code: Code
    /// What was refused and what the artefact should look like.
    public let reason: String
    public let fileID: String
    public let line: UInt

    /// An error of kind `code`, with the kind's standard reason unless `reason` is given.
    public init(_ code: Code, reason: String? = nil, fileID: String = #fileID, line: UInt = #line) {
        self.code = code
        self.reason = reason ?? code.standardReason
        self.fileID = fileID
        self.line = line
    }

    /// A refused signed note, to match against (`catch AuditError.malformedNote`).
    public static var malformedNote: Self { .init(.malformedNote) }
    /// A refused checkpoint, to match against.
    public static var malformedCheckpoint: Self { .init(.malformedCheckpoint) }
    /// A refused verifier key, to match against.
    public static var malformedVerifierKey: Self { .init(.malformedVerifierKey) }
    /// A refused witness verifier key, to match against.
    public static var malformedWitnessKey: Self { .init(.malformedWitnessKey) }
    /// A refused add-checkpoint request body, to match against.
    public static var malformedAddCheckpoint: Self { .init(.malformedAddCheckpoint) }
}
