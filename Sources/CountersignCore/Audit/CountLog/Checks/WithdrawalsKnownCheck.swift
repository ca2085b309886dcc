/// `withdrawals-known`: every withdrawal cancels a commitment confirmed at an earlier leaf and not withdrawn yet. A
/// withdrawal of an unknown or already withdrawn commitment would lower the count without cancelling a signature.
struct WithdrawalsKnownCheck: CountCheck {
    let name = "withdrawals-known"

    func check(_ evidence: CountEvidence) -> AuditReport.Check {
        var standing: Set<ReceiptCommitment> = []
        var withdrawn: Set<ReceiptCommitment> = []
        var problems: [String] = []
        for (index, event) in evidence.events.enumerated() {
            switch event?.kind {
            case .confirm(let c):
                standing.insert(c)
            case .withdraw(let c):
                if standing.remove(c) != nil {
                    withdrawn.insert(c)
                } else if withdrawn.contains(c) {
                    problems.append("leaf \(index) withdraws \(c.base64) a second time")
                } else {
                    problems.append("leaf \(index) withdraws \(c.base64), which no earlier leaf confirms")
                }
            case .shred, nil:
                break
            }
        }
        guard problems.isEmpty else { return fail(summary(problems)) }
        return pass("\(withdrawn.count) withdrawals, each of a standing confirmation")
    }
}
