import CountersignCrypto
import Foundation

/// The online check of a receipt (`countersign receipt verify FILE --url URL --key VERIFIER`): from the count log as
/// fetched over tlog-tiles (``CountLogSnapshot``: the bundles from just before the receipt's epoch to the end, and the
/// tiles over them), it proves where the receipt stands under the signed checkpoint, and makes the receipt's
/// ``TlogProof`` for `--save`. It reads no network; `CountFetcher` in the server fetches.
///
/// Its checks, in a report that reads as `audit verify`'s; every one runs every time:
/// - `checkpoint-format`: the served checkpoint is a signed count checkpoint of origin `KEYNAME/count/SLUG`, the origin
///   the receipt names;
/// - `checkpoint-signature`, `witness-cosignatures`: as ``ReceiptProofVerifier`` checks them;
/// - `count-tiles`: ``CountLogSnapshot/tilesCheck(root:)``;
/// - `receipt`: the confirm leaf is in the tree and its inclusion proof verifies under the signed root (counted), or
///   so is a withdrawal of it (withdrawn); PENDING while the receipt's epoch is not logged; FAIL when the epoch is
///   logged without it (the signature was dropped);
/// - `consistency`: with the checkpoint seen last time, the tree only grew since (RFC 9162 consistency proof computed
///   from the tiles), so no checkpoint in between dropped what the earlier one held.
public struct ReceiptVerifier: Sendable {
    /// The log's verifier key (its audit key, `GET /audit/key`).
    public let logKey: SignedNote.Verifier
    private let proofVerifier: ReceiptProofVerifier

    public init(logKey: SignedNote.Verifier, witnesses: [WitnessVerifier] = [], witnessesRequired: Int? = nil) {
        self.logKey = logKey
        proofVerifier = ReceiptProofVerifier(logKey: logKey, witnesses: witnesses, witnessesRequired: witnessesRequired)
    }

    /// What the check found.
    public struct Outcome: Sendable {
        /// One line per check.
        public let report: AuditReport
        /// Where the receipt stands, when the tiles are the signed tree's.
        public let status: ReceiptLookup.Status?
        /// The receipt's tlog-proof (of its confirm leaf, or of the withdrawal when it was withdrawn), when proven.
        public let proof: TlogProof?
    }

    /// Checks `receipt` against `snapshot`, whose bundles from `firstBundle` to the end were fetched; `previous` is the
    /// checkpoint seen last time, if any.
    public func verify(_ receipt: Receipt, snapshot: CountLogSnapshot, firstBundle: Int, previous: Checkpoint?) -> Outcome {
        let origin = CountCheckpoint.origin(auditOrigin: logKey.name, slug: receipt.slug)
        let note = try? SignedNote(encoded: snapshot.checkpoint)
        let checkpoint = note.flatMap { try? CountCheckpoint(text: $0.text) }
        var checks = [formatCheck(receipt, note: note, checkpoint: checkpoint, origin: origin)]
        if let note {
            checks.append(proofVerifier.signatureCheck(note, origin: origin))
            checks.append(proofVerifier.witnessCheck(note))
        } else {
            checks += ["checkpoint-signature", "witness-cosignatures"].map { fail($0, "not checked: the checkpoint is not a signed note") }
        }
        let (tilesCheck, tree) = snapshot.tilesCheck(root: checkpoint?.checkpoint.rootHash)
        checks.append(tilesCheck)
        guard let tree, let note, let root = checkpoint?.checkpoint.rootHash else {
            checks.append(fail("receipt", "not checked: the tiles are not the signed tree's"))
            checks.append(fail("consistency", "not checked: the tiles are not the signed tree's"))
            return Outcome(report: AuditReport(checks: checks), status: nil, proof: nil)
        }
        let (receiptCheck, status, proof) = standing(receipt, snapshot: snapshot, firstBundle: firstBundle, tree: tree, note: note, root: root)
        checks.append(receiptCheck)
        checks.append(consistencyCheck(previous: previous, origin: origin, tree: tree, root: root))
        return Outcome(report: AuditReport(checks: checks), status: status, proof: proof)
    }

    private func formatCheck(_ receipt: Receipt, note: SignedNote?, checkpoint: CountCheckpoint?, origin: String) -> AuditReport.Check {
        guard note != nil else { return fail("checkpoint-format", "the served checkpoint is not a signed note") }
        guard let checkpoint else {
            return fail("checkpoint-format", "the served checkpoint is not a count checkpoint (origin, size, root, `count N`)")
        }
        guard receipt.origin == origin else {
            return fail(
                "checkpoint-format",
                "the receipt is of the log \(receipt.origin), but the key names \(origin): "
                    + "use the --key and --url of the service that gave the receipt")
        }
        guard checkpoint.checkpoint.origin == origin else {
            return fail("checkpoint-format", "the served checkpoint's origin is \(checkpoint.checkpoint.origin), not \(origin): check --url and SLUG")
        }
        return pass("checkpoint-format", "\(origin) at size \(checkpoint.checkpoint.size), count \(checkpoint.count)")
    }

    private func standing(
        _ receipt: Receipt, snapshot: CountLogSnapshot, firstBundle: Int, tree: TiledTree, note: SignedNote, root: [UInt8]
    ) -> (AuditReport.Check, ReceiptLookup.Status?, TlogProof?) {
        let start = firstBundle * TilePath.fullWidth
        let entries = snapshot.entries(fromBundle: firstBundle)
        guard start + entries.count == snapshot.size || (snapshot.size == 0 && entries.isEmpty) else {
            return (fail("receipt", "the fetched leaves \(start)..<\(start + entries.count) do not reach the tree's end, \(snapshot.size)"), nil, nil)
        }
        if start > 0, let before = entries.prefix(TilePath.fullWidth).last.flatMap({ try? CountEvent(entry: $0) }), before.epoch >= receipt.epoch {
            return (
                fail("receipt", "the fetched leaves begin inside epoch \(receipt.epoch), at \(start): they may not hold the whole epoch"), nil, nil
            )
        }
        let lookup = ReceiptLookup(receipt: receipt)
        let status = lookup.status(in: entries, start: start)
        switch status {
        case .pending:
            let last = entries.last.flatMap { try? CountEvent(entry: $0) }.map { "its last leaf is in epoch \($0.epoch)" } ?? "it is empty"
            let check = AuditReport.Check(
                name: "receipt", passed: true, pending: true,
                evidence: "epoch \(receipt.epoch) is not logged yet (the log holds \(snapshot.size) leaves; \(last)): run this again once it closes")
            return (check, status, nil)
        case .missing:
            return (
                fail(
                    "receipt",
                    "epoch \(receipt.epoch) is logged without this receipt's confirm leaf nor a withdrawal of it: the signature was dropped; "
                        + "keep the receipt and this output as evidence"),
                status, nil
            )
        case .confirmed(let index):
            guard let proof = try? lookup.proof(index: index, tree: tree, checkpoint: note), proves(proof, entries, start: start, root: root, tree)
            else {
                return (fail("receipt", "the confirm leaf's inclusion proof at \(index) does not verify under the signed root"), status, nil)
            }
            let evidence = "counted: its confirm leaf is leaf \(index) of \(tree.size) in epoch \(receipt.epoch), and its inclusion proof verifies"
            return (pass("receipt", evidence), status, proof)
        case .withdrawn(let index, let withdrawal):
            let withdrawalEpoch = (try? CountEvent(entry: entries[withdrawal - start]).epoch) ?? receipt.epoch
            let confirmProof = try? lookup.proof(index: index, tree: tree, checkpoint: note)
            let withdrawProof = (try? tree.inclusionProof(index: withdrawal, size: tree.size)).map {
                TlogProof(
                    extra: TlogProof.receiptExtra(secret: receipt.secret, epoch: withdrawalEpoch), index: withdrawal, proof: $0, checkpoint: note)
            }
            guard let confirmProof, let withdrawProof, proves(confirmProof, entries, start: start, root: root, tree),
                proves(withdrawProof, entries, start: start, root: root, tree)
            else {
                return (
                    fail("receipt", "the inclusion proofs of the confirm leaf \(index) and its withdrawal \(withdrawal) do not verify"), status, nil
                )
            }
            let evidence =
                "withdrawn: its confirm leaf is leaf \(index) (epoch \(receipt.epoch)) and its withdrawal leaf \(withdrawal) "
                + "(epoch \(withdrawalEpoch)) of \(tree.size); both inclusion proofs verify, and the count no longer includes it"
            return (pass("receipt", evidence), status, withdrawProof)
        }
    }

    /// Whether the proof's leaf, as the fetched bundles hold it, is at its index under `root`.
    private func proves(_ proof: TlogProof, _ entries: [[UInt8]], start: Int, root: [UInt8], _ tree: TiledTree) -> Bool {
        let offset = proof.index - start
        guard entries.indices.contains(offset), let leaf = try? MerkleTree.leafHash(entries[offset]) else { return false }
        return MerkleTree.verifyInclusion(leafHash: leaf, index: proof.index, size: tree.size, proof: proof.proof, root: root)
    }

    private func consistencyCheck(previous: Checkpoint?, origin: String, tree: TiledTree, root: [UInt8]) -> AuditReport.Check {
        guard let previous else { return pass("consistency", "no earlier checkpoint: this one becomes the reference") }
        guard previous.origin == origin else {
            return fail("consistency", "the earlier checkpoint is of \(previous.origin), not \(origin): give the --state of this petition's log")
        }
        guard previous.size <= tree.size else {
            return fail("consistency", "the log shrank from \(previous.size) leaves to \(tree.size): the served checkpoint drops leaves seen before")
        }
        guard previous.size > 0 else { return pass("consistency", "the earlier checkpoint was of the empty tree") }
        guard let proof = try? tree.consistencyProof(old: previous.size, new: tree.size),
            MerkleTree.verifyConsistency(oldSize: previous.size, newSize: tree.size, oldRoot: previous.rootHash, newRoot: root, proof: proof)
        else {
            return fail(
                "consistency",
                "the tree of \(tree.size) does not extend the earlier one of \(previous.size): the log rewrote its history (a fork or a dropped leaf)"
            )
        }
        return pass(
            "consistency", "the tree of \(tree.size) extends the earlier one of \(previous.size) (consistency proof of \(proof.count) hashes)")
    }

    private func pass(_ name: String, _ evidence: String) -> AuditReport.Check {
        AuditReport.Check(name: name, passed: true, evidence: evidence)
    }

    private func fail(_ name: String, _ evidence: String) -> AuditReport.Check {
        AuditReport.Check(name: name, passed: false, evidence: evidence)
    }
}
