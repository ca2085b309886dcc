/// `count-entries-format`: every leaf is `confirm EPOCH BASE64(c)`, `withdraw EPOCH BASE64(c)` or `shred EPOCH` in
/// its canonical form (``CountEvent``).
struct CountEntriesFormatCheck: CountCheck {
    let name = "count-entries-format"

    func check(_ evidence: CountEvidence) -> AuditReport.Check {
        let bad = evidence.events.indices.filter { evidence.events[$0] == nil }
        guard bad.isEmpty else {
            return fail("\(bad.count) leaves are not count events: " + summary(bad.map { "leaf \($0)" }))
        }
        return pass("\(evidence.events.count) leaves parse")
    }
}
