import CountersignCrypto
import Foundation

/// `destroy-order`: every `key-destroyed` entry names a key the log introduced and rotated out earlier; a master key
/// only after a `master-rewrapped` entry moved the petition keys off it, a token key only once the tokens it signed
/// have expired; and a destroyed key id never appears again.
struct DestroyOrderCheck: AuditCheck {
    let name = "destroy-order"
    /// How long a confirmation token stays valid, in seconds. A token key may be destroyed only that long after its
    /// rotation, rounded up to whole days, plus one day (entries are dated to the day), because tokens it signed can
    /// be presented until then.
    let tokenLifetime: Int64

    func check(_ evidence: AuditEvidence) -> AuditReport.Check {
        let events = evidence.events
        let lifetimeDays = Int((tokenLifetime + KeyPolicy.day - 1) / KeyPolicy.day)
        var problems: [String] = []
        var findings: [String] = []
        for (index, event) in events.enumerated() {
            guard let event, event.kind == .keyDestroyed else { continue }
            guard let kid = event["kid"], let key = evidence.keys.key(kid), key.introduced < index else {
                problems.append("entry \(index) destroys key \(event["kid"] ?? "(no kid)"), which no earlier entry introduced")
                continue
            }
            let label = "\(key.purpose) key \(kid)"
            if let purpose = event["purpose"], purpose != key.purpose {
                problems.append("entry \(index) destroys \(label) as a \(purpose) key")
            }
            if let again = events[(index + 1)...].firstIndex(where: { $0?["kid"] == kid || $0?["previous"] == kid }) {
                problems.append("\(label), destroyed at entry \(index), appears again at entry \(again) (\(events[again]?.type ?? "?"))")
            }
            guard let replacement = key.replacement, replacement.index < index else {
                problems.append("entry \(index) destroys \(label), which no earlier entry rotated out")
                continue
            }
            switch key.purpose {
            case KeyPurpose.master.rawValue:
                let rewrap = events[replacement.index..<index].firstIndex { $0?.kind == .masterRewrapped && $0?["previous"] == kid }
                guard let rewrap else {
                    problems.append(
                        "entry \(index) destroys \(label) before any \(AuditEvent.Kind.masterRewrapped.rawValue) entry moved the petition keys off it")
                    continue
                }
                findings.append("\(label) destroyed \(event.day), after its rotation (entry \(replacement.index)) and re-wrap (entry \(rewrap))")
            case KeyPurpose.token.rawValue:
                let days = Int((event.date.timeIntervalSince(replacement.date) / Double(KeyPolicy.day)).rounded())
                let after = "\(days) day\(days == 1 ? "" : "s") after its rotation (entry \(replacement.index))"
                // Entries carry days only: a rotation late on day D may mint tokens valid until D + lifetime, so a
                // destroy is provably safe from day D + lifetime + 1 on.
                guard days > lifetimeDays else {
                    problems.append(
                        "entry \(index) destroys \(label) \(after); tokens it signed stay valid for \(lifetimeDays) days, so it must wait \(lifetimeDays + 1)")
                    continue
                }
                findings.append("\(label) destroyed \(event.day), \(after)")
            default:
                findings.append("\(label) destroyed \(event.day), after its rotation (entry \(replacement.index))")
            }
        }
        guard problems.isEmpty else { return fail(summary(problems)) }
        return pass(findings.isEmpty ? "no key was destroyed" : findings.joined(separator: "; "))
    }
}
