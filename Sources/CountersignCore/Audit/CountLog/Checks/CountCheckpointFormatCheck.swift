/// `count-checkpoint-format`: the served checkpoint is a signed note whose body is a count checkpoint (one `count N`
/// extension line) and whose origin is the petition's count log, `AUDIT/count/SLUG`.
struct CountCheckpointFormatCheck: CountCheck {
    let name = "count-checkpoint-format"

    func check(_ evidence: CountEvidence) -> AuditReport.Check {
        guard let checkpoint = evidence.checkpoint else { return fail(evidence.checkpointError ?? "the checkpoint does not parse") }
        guard checkpoint.checkpoint.origin == evidence.origin else {
            return fail("the checkpoint's origin is \(checkpoint.checkpoint.origin), not \(evidence.origin): another log's checkpoint")
        }
        return pass("\(evidence.origin) at size \(checkpoint.checkpoint.size), count \(checkpoint.count)")
    }
}
