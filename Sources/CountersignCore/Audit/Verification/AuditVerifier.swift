import Foundation

/// The offline audit of a log: from the log's entries, its signed checkpoint and the checkpoint the auditor saw last
/// time, it checks what the log promises and explains each finding in an ``AuditReport``. It reads no network and no
/// files; the caller fetches them (`countersign audit verify`).
///
/// Every check runs every time, so one tampering can fail several checks. Each check is an ``AuditCheck`` type in its
/// own file, and its name says what broke: `checkpoint-format`, `checkpoint-signature`, `witness-cosignatures`,
/// `checkpoint-age`, `entries-root`, `entries-format`, `no-backdating`, `consistency`, `cryptoperiods`, `destroy-order`
/// and `shred-complete`. `Docs/auditing.md` ("What `countersign audit
/// verify` checks") describes them for auditors.
public struct AuditVerifier: Sendable {
    /// The log key the auditor trusts, obtained out of band (`GET /audit/key`). Keys linked to it by log-key
    /// rotations that both keys signed are trusted as well.
    public let trusted: SignedNote.Verifier
    /// The auditor's clock and windows.
    public let policy: AuditPolicy

    public init(trusted: SignedNote.Verifier, policy: AuditPolicy) {
        self.trusted = trusted
        self.policy = policy
    }

    /// Checks a log.
    ///
    /// - Parameters:
    ///   - checkpoint: the current checkpoint, a ``SignedNote`` in its text form.
    ///   - entries: every entry of the log, from index 0.
    ///   - previous: the checkpoint the auditor saw last time (verified then), or `nil` on a first audit.
    ///   - consistencyProof: the log's RFC 6962 consistency proof from `previous.size` to the checkpoint's size.
    ///   - audits: the auditor's earlier audits that passed (``AuditState``), to catch back-dated entries.
    public func verify(
        checkpoint: String, entries: [String], previous: Checkpoint?, consistencyProof: [[UInt8]]?, audits: [AuditState.Audit] = []
    ) -> AuditReport {
        let evidence = AuditEvidence(checkpoint: checkpoint, entries: entries, previous: previous, consistencyProof: consistencyProof, audits: audits)
        return AuditReport(checks: checks.map { $0.check(evidence) })
    }

    /// The checks, in the order the report lists them; each is one file under `Checks/`.
    var checks: [any AuditCheck] {
        [
            CheckpointFormatCheck(trusted: trusted),
            CheckpointSignatureCheck(trusted: trusted),
            WitnessCosignaturesCheck(witnesses: policy.witnesses, required: policy.witnessesRequired, today: policy.today),
            CheckpointAgeCheck(witnesses: policy.witnesses, required: policy.witnessesRequired, today: policy.today, maxAge: policy.maxAge),
            EntriesRootCheck(),
            EntriesFormatCheck(today: policy.today),
            NoBackdatingCheck(),
            ConsistencyCheck(),
            CryptoperiodsCheck(today: policy.today),
            DestroyOrderCheck(tokenLifetime: policy.tokenLifetime.components.seconds),
            ShredCompleteCheck(today: policy.today, windowDays: policy.shredDays),
        ]
    }
}
