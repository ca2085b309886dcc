import CountersignCrypto
import Foundation

/// `witness-cosignatures`: at least `--witnesses-required` of the `--witness` keys cosigned the checkpoint
/// (c2sp.org/tlog-cosignature). A witness cosigns a checkpoint only if it is consistent with every checkpoint of the
/// log it cosigned before, so a log that shows auditors a different history from the one it shows others (a split
/// view) cannot get those cosignatures for both. A line by a given witness that does not verify fails the check
/// (signed-note: the note should then be rejected); lines by other keys are ignored; a cosignature dated more than
/// five minutes after the auditor's clock is not counted.
struct WitnessCosignaturesCheck: AuditCheck {
    let name = "witness-cosignatures"
    let witnesses: [WitnessVerifier]
    let required: Int
    let today: Date

    /// How far a cosignature's time may run ahead of the auditor's clock.
    static let clockSkew: TimeInterval = 300

    func check(_ evidence: AuditEvidence) -> AuditReport.Check {
        guard !witnesses.isEmpty || required > 0 else { return pass("no witness is required (no --witness given)") }
        guard let note = evidence.note else { return fail("there is no signed note to find cosignatures on") }
        var cosigned: [String] = []
        var problems: [String] = []
        var absent: [String] = []
        for witness in witnesses {
            let id = "\(witness.name)+\((try? witness.keyID).map { Hex.encode($0) } ?? "?")"
            switch witness.cosignatures(on: note) {
            case .absent:
                absent.append(id)
            case .invalid:
                problems.append("the cosignature by witness \(id) does not verify")
            case .valid(let timestamp) where Double(timestamp) > today.timeIntervalSince1970 + Self.clockSkew:
                problems.append("the cosignature by witness \(id) is dated \(Self.iso(timestamp)), after the auditor's clock; not counted")
            case .valid(let timestamp):
                cosigned.append("\(id) at \(Self.iso(timestamp))")
            }
        }
        let missing = absent.isEmpty ? "" : "; no cosignature by \(absent.joined(separator: ", "))"
        let found = "\(cosigned.count) of \(witnesses.count) witnesses cosigned (required \(required))"
            + (cosigned.isEmpty ? "" : ": \(cosigned.joined(separator: ", "))") + missing
        if cosigned.count < required {
            problems.insert(
                "\(found): without them nothing shows this checkpoint is the one every other reader of the log sees", at: 0)
            return fail(summary(problems))
        }
        return problems.isEmpty ? pass(found) : fail("\(summary(problems)); \(found)")
    }

    static func iso(_ timestamp: UInt64) -> String {
        Date(timeIntervalSince1970: TimeInterval(timestamp)).formatted(.iso8601)
    }
}
