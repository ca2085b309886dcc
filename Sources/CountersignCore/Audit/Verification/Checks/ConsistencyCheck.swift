/// `consistency`: the served checkpoint extends the one verified last time. Same origin, no fewer entries, the
/// log's RFC 9162 consistency proof verifies, and the first entries served now still hash to the earlier root.
/// Without an earlier checkpoint this one becomes the reference.
struct ConsistencyCheck: AuditCheck {
    let name = "consistency"

    func check(_ evidence: AuditEvidence) -> AuditReport.Check {
        guard let previous = evidence.previous else {
            return pass("no earlier checkpoint is on record, so this one becomes the reference")
        }
        guard let current = evidence.checkpoint else {
            return fail("there is no checkpoint to compare with the earlier one (size \(previous.size))")
        }
        var problems: [String] = []
        if previous.origin != current.origin {
            problems.append("the earlier checkpoint is for \(previous.origin), this one for \(current.origin)")
        }
        if previous.size > current.size {
            problems.append("the log shrank from \(previous.size) to \(current.size) entries")
        } else if let proof = evidence.consistencyProof {
            let extends =
                previous.size == 0
                ? (try? MerkleTree().root()) == previous.rootHash
                : MerkleTree.verifyConsistency(
                    oldSize: previous.size, newSize: current.size, oldRoot: previous.rootHash, newRoot: current.rootHash, proof: proof)
            if !extends {
                problems.append(
                    "the consistency proof (\(proof.count) hashes) does not show the earlier tree of \(previous.size) entries inside this one "
                        + "of \(current.size): the log forked or rewrote its history")
            }
        } else {
            problems.append("the log served no consistency proof from size \(previous.size) to \(current.size)")
        }
        if evidence.count < previous.size {
            problems.append("the log holds \(evidence.count) entries, fewer than the earlier checkpoint's \(previous.size)")
        } else if evidence.tree.flatMap({ try? $0.root(size: previous.size) }) != previous.rootHash {
            problems.append("the first \(previous.size) entries served now do not hash to the earlier root \(base64(previous.rootHash))")
        }
        guard problems.isEmpty else { return fail(summary(problems)) }
        return pass(
            "the checkpoint of size \(current.size) extends the earlier one of size \(previous.size): the consistency proof verifies "
                + "and the first \(previous.size) entries still hash to the earlier root")
    }
}
