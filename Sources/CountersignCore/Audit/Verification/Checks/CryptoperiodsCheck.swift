import Foundation

/// `cryptoperiods`: every key the log introduces has a `not-after` day and was rotated out on or before it, unless
/// that day has not passed yet; the chain of keys has no gaps or repeats (``KeyHistory/problems``).
struct CryptoperiodsCheck: AuditCheck {
    let name = "cryptoperiods"
    /// The auditor's clock: a key past its not-after day must have been rotated.
    let today: Date

    func check(_ evidence: AuditEvidence) -> AuditReport.Check {
        let todayDay = UTCDay.of(today)
        var problems = evidence.keys.problems
        var findings: [String] = []
        for key in evidence.keys.keys {
            let label = "\(key.purpose) key \(key.kid)"
            guard let notAfter = key.notAfter, UTCDay.date(notAfter) != nil else {
                problems.append("\(label) (entry \(key.introduced)) carries no not-after day")
                continue
            }
            if let replacement = key.replacement {
                let day = UTCDay.of(replacement.date)
                if day > notAfter {
                    problems.append("\(label) was replaced on \(day) (entry \(replacement.index)), after its not-after day \(notAfter)")
                } else {
                    findings.append("\(label) replaced \(day) (not after \(notAfter))")
                }
            } else if todayDay > notAfter {
                problems.append("\(label) outlived its cryptoperiod (not after \(notAfter)) with no rotation entry")
            } else {
                findings.append("\(label) in service, not after \(notAfter)")
            }
        }
        guard problems.isEmpty else { return fail(summary(problems)) }
        return pass(findings.isEmpty ? "the log introduces no keys" : findings.joined(separator: "; "))
    }
}
