import Foundation

/// `shred-complete`: every `petition-shredded` entry is followed by the destroy of every master key that could have
/// wrapped that petition's key (``ShredObligation``), so that no backup can open the key again. Within the policy's
/// window after the shred (7 days by default, for `--defer-destroy`) an unfinished shred is PENDING; after it, FAIL.
struct ShredCompleteCheck: AuditCheck {
    let name = "shred-complete"
    let today: Date
    let windowDays: Int

    func check(_ evidence: AuditEvidence) -> AuditReport.Check {
        let obligations = ShredObligation.all(in: evidence.events)
        guard !obligations.isEmpty else { return pass("no petition was shredded") }
        var done: [String] = []
        var waiting: [String] = []
        var overdue: [String] = []
        for obligation in obligations {
            let label = "\(obligation.slug) (entry \(obligation.entry), \(UTCDay.of(obligation.date)))"
            if obligation.outstanding.isEmpty {
                done.append("\(label): master key(s) \(obligation.masters.joined(separator: ", ")) destroyed")
                continue
            }
            let deadline = obligation.date.addingTimeInterval(TimeInterval(windowDays) * 86_400)
            let missing = "master key(s) \(obligation.outstanding.joined(separator: ", ")) not destroyed"
            if today < deadline {
                waiting.append("\(label): \(missing) yet, due by \(UTCDay.of(deadline))")
            } else {
                overdue.append("\(label): \(missing) within \(windowDays) days; a backup can still open its key")
            }
        }
        if !overdue.isEmpty { return fail(summary(overdue + waiting)) }
        if !waiting.isEmpty { return pending(summary(waiting + done)) }
        return pass(summary(done))
    }
}
