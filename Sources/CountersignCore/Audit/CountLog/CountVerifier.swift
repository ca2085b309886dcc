/// The count replay (`countersign count verify`): from every leaf of a petition's count log and its signed
/// checkpoint, it checks that the published count is what the leaves add up to, for a verifier who owes the operator
/// nothing. It reads no network; the caller fetches the checkpoint and every entry bundle (``TileLayout``).
///
/// Every check runs every time and reports one line as ``AuditVerifier``'s do: `count-checkpoint-format`,
/// `count-checkpoint-signature`, `count-entries-format`, `count-root`, `count-total`, `commitments-unique`,
/// `witness-cosignatures`, `withdrawals-known`, `epochs-ordered`, `served-count`. `Docs/auditing.md` ("The count log")
/// describes them.
public struct CountVerifier: Sendable {
    /// The log's verifier key (the audit key, `GET /audit/key`); the count checkpoint is signed by the same key under
    /// the count log's origin.
    public let logKey: SignedNote.Verifier
    /// The petition.
    public let slug: String
    /// The witnesses whose cosignatures are required, as a receipt's proof requires them.
    public let witnesses: ReceiptProofVerifier

    public init(logKey: SignedNote.Verifier, slug: String, witnesses: [WitnessVerifier] = [], witnessesRequired: Int? = nil) {
        self.logKey = logKey
        self.slug = slug
        self.witnesses = ReceiptProofVerifier(logKey: logKey, witnesses: witnesses, witnessesRequired: witnessesRequired)
    }

    /// A logged count as the service's API serves it beside the live count: the count and the tree size it belongs to.
    public struct ServedCount: Sendable, Equatable {
        public let count: Int
        public let size: Int

        public init(count: Int, size: Int) {
            self.count = count
            self.size = size
        }
    }

    /// The count log's origin.
    public var origin: String { CountCheckpoint.origin(auditOrigin: logKey.name, slug: slug) }

    /// Replays a count log.
    ///
    /// - Parameters:
    ///   - checkpoint: the served count checkpoint, a signed note in its text form.
    ///   - entries: every leaf from index 0 (the entry bundles' entries, in order).
    ///   - served: the logged count the API served, if any.
    public func verify(checkpoint: String, entries: [[UInt8]], served: ServedCount? = nil) -> AuditReport {
        let evidence = CountEvidence(slug: slug, origin: origin, checkpoint: checkpoint, entries: entries, served: served)
        return AuditReport(checks: checks.map { $0.check(evidence) })
    }

    var checks: [any CountCheck] {
        [
            CountCheckpointFormatCheck(),
            CountCheckpointSignatureCheck(logKey: logKey),
            CountWitnessCheck(requirement: witnesses),
            CountEntriesFormatCheck(),
            CountRootCheck(),
            CountTotalCheck(),
            CommitmentsUniqueCheck(),
            WithdrawalsKnownCheck(),
            EpochsOrderedCheck(),
            ServedCountCheck(),
        ]
    }
}
