/// `count-total`: the checkpoint's count line equals the confirms minus the withdrawals among its leaves.
struct CountTotalCheck: CountCheck {
    let name = "count-total"

    func check(_ evidence: CountEvidence) -> AuditReport.Check {
        guard let checkpoint = evidence.checkpoint else { return fail("there is no count line to check") }
        let size = min(checkpoint.checkpoint.size, evidence.events.count)
        var confirms = 0
        var withdrawals = 0
        for event in evidence.events.prefix(size) {
            switch event?.kind {
            case .confirm: confirms += 1
            case .withdraw: withdrawals += 1
            case .shred, nil: break
            }
        }
        let replayed = confirms - withdrawals
        guard replayed == checkpoint.count else {
            return fail(
                "the checkpoint says count \(checkpoint.count); its leaves hold \(confirms) confirms − \(withdrawals) withdrawals = \(replayed)")
        }
        return pass("\(confirms) confirms − \(withdrawals) withdrawals = \(replayed), the checkpoint's count")
    }
}
