import CountersignCrypto

/// `checkpoint-format`: the served checkpoint is a signed note whose body is a checkpoint, and its origin is the
/// trusted key's name.
struct CheckpointFormatCheck: AuditCheck {
    let name = "checkpoint-format"
    /// The log key the auditor trusts; its name is the log's origin.
    let trusted: SignedNote.Verifier

    func check(_ evidence: AuditEvidence) -> AuditReport.Check {
        switch evidence.parsed {
        case .noNote(let error):
            return fail(error.description)
        case .noCheckpoint(_, let error):
            return fail("the note's body is \(error.description)")
        case .checkpoint(_, let checkpoint):
            guard checkpoint.origin == trusted.name else {
                return fail("the checkpoint's origin is \(checkpoint.origin), not the trusted log \(trusted.name)")
            }
            return pass("origin \(checkpoint.origin), size \(checkpoint.size), root \(base64(checkpoint.rootHash))")
        }
    }
}
