import Foundation

/// `checkpoint-age`: the checkpoint's time is the timestamp of the N-th newest valid cosignature by a `--witness`,
/// where N is `--witnesses-required` (at least 1), and it is within `--max-age` (1 day) of the auditor's clock: one
/// colluding witness's fresh cosignature cannot vouch for a checkpoint the others last saw long ago. A witness cosigns only the largest tree it has seen, so an old
/// cosignature is all a log can show for a checkpoint it stopped extending in public, or one the witnesses have moved
/// past: a stale view. Without `--witness` the checkpoint carries no time and the check says so.
struct CheckpointAgeCheck: AuditCheck {
    let name = "checkpoint-age"
    let witnesses: [WitnessVerifier]
    let required: Int
    let today: Date
    let maxAge: Duration

    func check(_ evidence: AuditEvidence) -> AuditReport.Check {
        guard !witnesses.isEmpty else {
            return pass("no --witness given, so the checkpoint carries no time to check")
        }
        guard let note = evidence.note else { return fail("there is no signed note to date") }
        let latest = today.timeIntervalSince1970 + WitnessCosignaturesCheck.clockSkew
        let cosigned = witnesses.compactMap { witness -> (UInt64, String)? in
            guard case .valid(let timestamp) = witness.cosignatures(on: note), Double(timestamp) <= latest else { return nil }
            return (timestamp, witness.name)
        }.sorted { $0.0 > $1.0 }
        let counted = max(1, required)
        let newest = cosigned.count >= counted ? cosigned[counted - 1] : nil
        guard let (timestamp, witness) = newest else {
            let unknown = "no valid cosignature by a given witness, so the checkpoint's time is unknown"
            return required == 0 ? pass("\(unknown) (--witnesses-required 0 accepts that)") : fail(unknown)
        }
        let age = Int64(today.timeIntervalSince1970) - Int64(timestamp)
        let limit = maxAge.components.seconds
        let rank = counted == 1 ? "the newest cosignature" : "cosignature \(counted) by newness (--witnesses-required \(counted))"
        let dated = "\(rank), by \(witness), is dated \(WitnessCosignaturesCheck.iso(timestamp)), \(describe(seconds: max(0, age))) ago"
        guard age <= limit else {
            return fail("\(dated), more than --max-age \(describe(seconds: limit)): the checkpoint is stale, and newer entries may be hidden")
        }
        return pass("\(dated), within --max-age \(describe(seconds: limit))")
    }
}
