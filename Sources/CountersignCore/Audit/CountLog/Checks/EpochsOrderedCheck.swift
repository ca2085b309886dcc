/// `epochs-ordered`: epochs are numbered 0, 1, 2, … along the log with no gap and never go back, each epoch's leaves
/// are in epoch order (by commitment, a confirm before the withdrawal of the same commitment, a shred last), and
/// nothing follows a shred. An unsorted epoch would leak the order, and so the time, of its confirmations.
struct EpochsOrderedCheck: CountCheck {
    let name = "epochs-ordered"

    func check(_ evidence: CountEvidence) -> AuditReport.Check {
        var problems: [String] = []
        var previous: CountEvent?
        var epochs = 0
        for (index, event) in evidence.events.enumerated() {
            guard let event else {
                previous = nil
                continue
            }
            if let previous {
                if previous.kind == .shred {
                    problems.append("leaf \(index) follows the shred")
                } else if event.epoch == previous.epoch {
                    if !CountEvent.epochOrder(previous, event) { problems.append("leaf \(index) is out of order within epoch \(event.epoch)") }
                } else if event.epoch != previous.epoch + 1 {
                    problems.append("leaf \(index) is in epoch \(event.epoch) after epoch \(previous.epoch)")
                } else {
                    epochs += 1
                }
            } else if index == 0 {
                if event.epoch != 0 { problems.append("the first leaf is in epoch \(event.epoch), not 0") }
                epochs = 1
            }
            previous = event
        }
        guard problems.isEmpty else { return fail(summary(problems)) }
        return pass("\(epochs) epochs, in order, each sorted")
    }
}
