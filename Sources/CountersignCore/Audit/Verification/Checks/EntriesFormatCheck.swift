import Foundation

/// `entries-format`: every entry parses as an ``AuditEvent``, dates never go backwards, and none is after today.
struct EntriesFormatCheck: AuditCheck {
    let name = "entries-format"
    /// The auditor's clock: no entry may be dated later.
    let today: Date

    func check(_ evidence: AuditEvidence) -> AuditReport.Check {
        let events = evidence.events
        let todayDay = UTCDay.of(today)
        var problems: [String] = []
        var latest: (index: Int, day: String)?
        for (index, event) in events.enumerated() {
            guard let event else {
                problems.append("entry \(index) is not an audit event (type=… fields… date=YYYY-MM-DD)")
                continue
            }
            if let latest, event.day < latest.day {
                problems.append("entry \(index) is dated \(event.day), before entry \(latest.index) (\(latest.day))")
            } else {
                latest = (index, event.day)
            }
            if event.day > todayDay { problems.append("entry \(index) is dated \(event.day), after today (\(todayDay))") }
        }
        guard problems.isEmpty else { return fail(summary(problems)) }
        guard let first = events.first??.day, let last = events.last??.day else { return pass("the log holds no entries") }
        return pass("\(events.count) entries parse, dated \(first) to \(last) in order, none after today (\(todayDay))")
    }
}
