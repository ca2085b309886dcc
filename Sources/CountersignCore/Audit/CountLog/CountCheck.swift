/// One rule of the count replay (``CountVerifier``), a type of its own as each ``AuditCheck`` is: it reads the
/// ``CountEvidence``, parsed once for all checks, and returns one named ``AuditReport/Check``.
protocol CountCheck: Sendable {
    /// The check's stable name, printed by `countersign count verify` and matched by tests and scripts.
    var name: String { get }

    func check(_ evidence: CountEvidence) -> AuditReport.Check
}

extension CountCheck {
    func pass(_ evidence: String) -> AuditReport.Check {
        AuditReport.Check(name: name, passed: true, evidence: evidence)
    }

    func fail(_ evidence: String) -> AuditReport.Check {
        AuditReport.Check(name: name, passed: false, evidence: evidence)
    }

    /// The first few problems, so that the line stays readable.
    func summary(_ problems: [String], limit: Int = 3) -> String {
        let shown = problems.prefix(limit).joined(separator: "; ")
        return problems.count > limit ? "\(shown); and \(problems.count - limit) more" : shown
    }
}
