/// `served-count`: the logged count the service's API serves, with the tree size it belongs to, is the count of the
/// log's first that many leaves, and the checkpoint's count when the size is the checkpoint's. Without a served count
/// there is nothing to compare, and the line says so.
struct ServedCountCheck: CountCheck {
    let name = "served-count"

    func check(_ evidence: CountEvidence) -> AuditReport.Check {
        guard let served = evidence.served else { return pass("no served count given to compare") }
        guard served.size >= 0, served.size <= evidence.events.count else {
            return fail("the API serves count \(served.count) at size \(served.size), but the log holds \(evidence.events.count) leaves")
        }
        if let checkpoint = evidence.checkpoint, checkpoint.checkpoint.size == served.size, checkpoint.count != served.count {
            return fail("the API serves count \(served.count) at size \(served.size); the checkpoint of that size says \(checkpoint.count)")
        }
        if served.size > 0, let event = evidence.events[served.size - 1], served.size < evidence.events.count,
            let next = evidence.events[served.size], next.epoch == event.epoch
        {
            return fail("the API serves a count at size \(served.size), inside epoch \(event.epoch): logged counts are at epoch ends")
        }
        let replayed = evidence.count(size: served.size)
        guard replayed == served.count else {
            return fail("the API serves count \(served.count) at size \(served.size); the first \(served.size) leaves add up to \(replayed)")
        }
        return pass("the API's count \(served.count) at size \(served.size) is what the first \(served.size) leaves add up to")
    }
}
