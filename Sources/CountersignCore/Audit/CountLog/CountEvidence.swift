/// A count log under replay, parsed once for every ``CountCheck``: the served signed checkpoint as far as it parses,
/// every leaf as a ``CountEvent`` (or `nil` where it does not parse), the leaves' Merkle tree, and the logged count the
/// service's API served, if the verifier has one.
struct CountEvidence: Sendable {
    /// The petition whose log this is.
    let slug: String
    /// The count log's origin, `AUDIT/count/SLUG`.
    let origin: String
    /// The served note, if it is a signed note.
    let note: SignedNote?
    /// The served checkpoint, if the note's body is a count checkpoint; ``checkpointError`` says why not.
    let checkpoint: CountCheckpoint?
    let checkpointError: String?
    /// Every leaf from index 0 as an event; `nil` where a leaf does not parse.
    let events: [CountEvent?]
    /// The leaves' Merkle tree, or `nil` if they could not be hashed.
    let tree: MerkleTree?
    /// The logged count the service served, and the tree size it belongs to.
    let served: CountVerifier.ServedCount?

    init(slug: String, origin: String, checkpoint text: String, entries: [[UInt8]], served: CountVerifier.ServedCount?) {
        self.slug = slug
        self.origin = origin
        self.served = served
        events = entries.map { try? CountEvent(entry: $0) }
        tree = try? MerkleTree(entries: entries)
        (note, checkpoint, checkpointError) = Self.parse(text)
    }

    private static func parse(_ text: String) -> (SignedNote?, CountCheckpoint?, String?) {
        let note: SignedNote
        do {
            note = try SignedNote(encoded: text)
        } catch {
            return (nil, nil, error.reason)
        }
        do {
            return (note, try CountCheckpoint(text: note.text), nil)
        } catch {
            return (note, nil, error.reason)
        }
    }

    /// Confirms minus withdrawals among the first `size` leaves that parse.
    func count(size: Int) -> Int {
        events.prefix(size).reduce(0) { total, event in
            switch event?.kind {
            case .confirm: total + 1
            case .withdraw: total - 1
            case .shred, nil: total
            }
        }
    }
}
