/// The log under audit, parsed once for every ``AuditCheck``: the served checkpoint as far as it parses, the entries
/// as events and as a Merkle tree, the keys they introduce, the checkpoint verified last time with the log's
/// consistency proof to it, and the auditor's earlier audits.
struct AuditEvidence: Sendable {
    /// How far the served checkpoint parsed; `checkpoint-format` reports where it stopped.
    enum ParsedCheckpoint: Sendable {
        /// The text is not a signed note.
        case noNote(AuditError)
        /// A signed note whose body is not a checkpoint.
        case noCheckpoint(SignedNote, AuditError)
        /// A signed note holding a checkpoint (whose origin and signatures are not checked yet).
        case checkpoint(SignedNote, Checkpoint)
    }

    let parsed: ParsedCheckpoint
    /// Every entry from index 0 as an event; `nil` where an entry does not parse.
    let events: [AuditEvent?]
    /// The entries' Merkle tree, or `nil` if they could not be hashed.
    let tree: MerkleTree?
    /// The keys the entries introduce, and the entries that rotated them out.
    let keys: KeyHistory
    /// The checkpoint the auditor verified last time, or `nil` on a first audit.
    let previous: Checkpoint?
    /// The log's consistency proof from ``previous`` to the served checkpoint.
    let consistencyProof: [[UInt8]]?
    /// The auditor's earlier audits that passed, with the number of entries each saw.
    let audits: [AuditState.Audit]

    init(checkpoint: String, entries: [String], previous: Checkpoint?, consistencyProof: [[UInt8]]?, audits: [AuditState.Audit] = []) {
        events = entries.map(AuditEvent.init(text:))
        tree = try? MerkleTree(entries: entries.map { Array($0.utf8) })
        keys = KeyHistory(events)
        parsed = Self.parse(checkpoint)
        self.previous = previous
        self.consistencyProof = consistencyProof
        self.audits = audits
    }

    private static func parse(_ text: String) -> ParsedCheckpoint {
        let note: SignedNote
        do {
            note = try SignedNote(encoded: text)
        } catch {
            return .noNote(error)
        }
        do {
            return .checkpoint(note, try Checkpoint(text: note.text))
        } catch {
            return .noCheckpoint(note, error)
        }
    }

    /// The served signed note, if the checkpoint text is one.
    var note: SignedNote? {
        switch parsed {
        case .noNote: nil
        case .noCheckpoint(let note, _), .checkpoint(let note, _): note
        }
    }

    /// The served checkpoint, if it parses, whatever its origin.
    var checkpoint: Checkpoint? {
        if case .checkpoint(_, let checkpoint) = parsed { checkpoint } else { nil }
    }

    /// How many entries the log served.
    var count: Int { events.count }
}
