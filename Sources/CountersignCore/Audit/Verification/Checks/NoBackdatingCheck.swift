import Foundation

/// `no-backdating`: no entry the auditor sees for the first time is dated before an earlier audit that did not see it.
/// Each audit that passed is recorded with its date and the entries it saw (``AuditState``); an entry at a later index
/// dated before that audit's day was written after the audit and dated into the past, to look as if it had always been
/// there (a key destroyed "on time", a petition closed "before" the deadline). Five minutes are allowed for the log's
/// clock running behind the auditor's.
struct NoBackdatingCheck: AuditCheck {
    let name = "no-backdating"

    /// How far the log's clock may run behind the auditor's.
    static let clockSkew: TimeInterval = 300

    func check(_ evidence: AuditEvidence) -> AuditReport.Check {
        guard let last = evidence.audits.last else {
            return pass("no earlier audit is on record; this one's date and size are recorded for the next")
        }
        var problems: [String] = []
        var flagged = Set<Int>()
        for audit in evidence.audits {
            let day = UTCDay.of(audit.date.addingTimeInterval(-Self.clockSkew))
            for index in audit.size..<max(audit.size, evidence.count) {
                guard let event = evidence.events[index], event.day < day, flagged.insert(index).inserted else { continue }
                problems.append(
                    "entry \(index) is dated \(event.day), but the audit of \(UTCDay.of(audit.date)) saw only \(audit.size) entries: "
                        + "it was added later and back-dated")
            }
        }
        guard problems.isEmpty else { return fail(summary(problems)) }
        let new = max(0, evidence.count - last.size)
        return pass(
            "\(new) \(new == 1 ? "entry" : "entries") since the last audit (\(UTCDay.of(last.date)), which saw \(last.size)); "
                + "none is dated before an audit that did not see it (\(evidence.audits.count) on record)")
    }
}
