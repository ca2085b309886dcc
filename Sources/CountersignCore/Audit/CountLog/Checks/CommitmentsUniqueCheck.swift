/// `commitments-unique`: no commitment is confirmed twice. Each confirmation draws a fresh 32-byte `r`, so a repeated
/// commitment is one signature counted twice.
struct CommitmentsUniqueCheck: CountCheck {
    let name = "commitments-unique"

    func check(_ evidence: CountEvidence) -> AuditReport.Check {
        var seen: [ReceiptCommitment: Int] = [:]
        var problems: [String] = []
        for (index, event) in evidence.events.enumerated() {
            guard case .confirm(let c)? = event?.kind else { continue }
            if let first = seen[c] {
                problems.append("leaf \(index) confirms \(c.base64) again (first at leaf \(first))")
            } else {
                seen[c] = index
            }
        }
        guard problems.isEmpty else { return fail(summary(problems)) }
        return pass("\(seen.count) confirmations, each of its own commitment")
    }
}
