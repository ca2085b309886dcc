/// Where a receipt stands in its petition's count log, from the leaves of its epoch and later (a verifier fetches the
/// entry bundles of the receipt's epoch, found by a binary search over bundles since every leaf names its epoch, so the
/// service learns the epoch and nothing finer). ``proof(index:tree:checkpoint:)`` then makes the receipt's
/// ``TlogProof`` for `receipt verify --save`.
public struct ReceiptLookup: Sendable {
    public let receipt: Receipt

    public init(receipt: Receipt) {
        self.receipt = receipt
    }

    /// What the leaves show.
    public enum Status: Sendable, Equatable {
        /// The leaves reach no further than the epochs before the receipt's: it is not logged yet, try again later.
        case pending
        /// The confirm leaf is at `index`, and no withdrawal of it is among the leaves.
        case confirmed(index: Int)
        /// The confirm leaf is at `index` and its withdrawal at `withdrawal`.
        case withdrawn(index: Int, withdrawal: Int)
        /// The receipt's epoch is logged (a later epoch has begun, or the checkpoint ends it) without its confirm leaf,
        /// or the receipt names an epoch the log cannot reach (more than one past its last, or after its shred): the
        /// signature was dropped, and the receipt is the evidence.
        case missing
    }

    /// Looks the receipt up among `entries`, the leaves from index `start` on, up to a checkpoint's size.
    ///
    /// - Parameter epochComplete: whether the checkpoint is known to end the receipt's epoch even if no later leaf is
    ///   among `entries` (a count checkpoint is only made at an epoch's end, so any checkpoint that holds a leaf of the
    ///   epoch completes it).
    public func status(in entries: [[UInt8]], start: Int = 0, epochComplete: Bool = true) -> Status {
        guard let commitment = try? receipt.commitment else { return .missing }
        let confirm = CountEvent(.confirm(commitment), epoch: receipt.epoch).entry
        var confirmed: Int?
        var reached = false
        var last: CountEvent?
        for (offset, entry) in entries.enumerated() {
            let index = start + offset
            guard let event = try? CountEvent(entry: entry) else { continue }
            last = event
            if event.epoch >= receipt.epoch { reached = true }
            if confirmed == nil, event.epoch == receipt.epoch, entry == confirm {
                confirmed = index
            } else if let confirmed, case .withdraw(let c) = event.kind, c == commitment {
                return .withdrawn(index: confirmed, withdrawal: index)
            }
        }
        if let confirmed { return .confirmed(index: confirmed) }
        // An honest service hands out the number of epochs closed so far, so a receipt's epoch is at most one past the
        // last logged one, and none follows a shred: otherwise it would stay pending for ever.
        let next = last.map { $0.kind == .shred ? $0.epoch : $0.epoch + 1 } ?? 0
        if receipt.epoch > next { return .missing }
        return reached && epochComplete ? .missing : .pending
    }

    /// The receipt's tlog-proof: its confirm leaf at `index` under `checkpoint`, whose tree the tiles in `tree` hold.
    public func proof(index: Int, tree: TiledTree, checkpoint: SignedNote) throws(CountLogError) -> TlogProof {
        TlogProof(
            extra: TlogProof.receiptExtra(secret: receipt.secret, epoch: receipt.epoch), index: index,
            proof: try tree.inclusionProof(index: index, size: tree.size), checkpoint: checkpoint)
    }
}
