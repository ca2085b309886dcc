import CountersignCrypto
import Foundation

/// The offline check of a receipt's ``TlogProof`` (`countersign receipt verify PROOF --key VERIFIER`): with the log's
/// verifier key and, optionally, witnesses' keys, and nothing from the service, it checks that the commitment of the
/// `r` in the proof is a leaf of a count log under a checkpoint the log signed (and the witnesses cosigned).
///
/// Its checks, in a report that reads as `audit verify`'s:
/// - `proof-format`: the proof parses, its extra holds `r` and an epoch, its checkpoint is a count checkpoint whose
///   origin is the key's name followed by `/count/SLUG`;
/// - `checkpoint-signature`: a line by the log key (under the checkpoint's origin, or under the key's own name)
///   verifies, and no line by that key fails;
/// - `witness-cosignatures`: at least `witnessesRequired` of `witnesses` cosigned it, and no line by one fails;
/// - `inclusion`: the leaf `confirm EPOCH BASE64(c)`, with `c` recomputed from `r` and the slug, is at the proof's
///   index under the checkpoint's root; a `withdraw` leaf of the same commitment passes too, and ``Outcome/event``
///   says which it is.
public struct ReceiptProofVerifier: Sendable {
    /// The log's verifier key (its audit key, `GET /audit/key`).
    public let logKey: SignedNote.Verifier
    /// Witnesses the verifier trusts.
    public let witnesses: [WitnessVerifier]
    /// How many of them must have cosigned; all by default.
    public let witnessesRequired: Int

    public init(logKey: SignedNote.Verifier, witnesses: [WitnessVerifier] = [], witnessesRequired: Int? = nil) {
        self.logKey = logKey
        self.witnesses = witnesses
        self.witnessesRequired = min(witnessesRequired ?? witnesses.count, witnesses.count)
    }

    /// What the check found.
    public struct Outcome: Sendable {
        /// One line per check; the proof holds when ``AuditReport/passed``.
        public let report: AuditReport
        /// The leaf the proof shows logged (a confirm, or the withdrawal of it), when `inclusion` passed.
        public let event: CountEvent?
        /// The count checkpoint, when it parsed.
        public let checkpoint: CountCheckpoint?
    }

    /// Checks a proof's text.
    public func verify(_ text: String) -> Outcome {
        var checks: [AuditReport.Check] = []
        let proof: TlogProof
        do {
            proof = try TlogProof(text: text)
        } catch {
            return Outcome(report: AuditReport(checks: [fail("proof-format", error.reason)] + skipped), event: nil, checkpoint: nil)
        }
        guard let extra = proof.receiptExtra else {
            return Outcome(
                report: AuditReport(checks: [fail("proof-format", "the extra line does not hold r and an epoch (40 bytes)")] + skipped), event: nil,
                checkpoint: nil)
        }
        let (secret, epoch) = (extra.secret, extra.epoch)
        let checkpoint: CountCheckpoint
        do {
            checkpoint = try CountCheckpoint(text: proof.checkpoint.text)
        } catch {
            return Outcome(report: AuditReport(checks: [fail("proof-format", error.reason)] + skipped), event: nil, checkpoint: nil)
        }
        let origin = checkpoint.checkpoint.origin
        guard let slug = CountCheckpoint.slug(origin: origin, auditOrigin: logKey.name) else {
            let wanted = CountCheckpoint.origin(auditOrigin: logKey.name, slug: "SLUG")
            return Outcome(
                report: AuditReport(
                    checks: [fail("proof-format", "the checkpoint's origin is \(origin), not \(wanted): a proof of another log")] + skipped),
                event: nil, checkpoint: checkpoint)
        }
        checks.append(
            pass("proof-format", "a proof of leaf \(proof.index) in \(origin) at size \(checkpoint.checkpoint.size), count \(checkpoint.count)"))
        checks.append(signatureCheck(proof.checkpoint, origin: origin))
        checks.append(witnessCheck(proof.checkpoint))

        var logged: CountEvent?
        if let c = try? ReceiptCommitment(slug: slug, secret: secret) {
            for event in [CountEvent(.confirm(c), epoch: epoch), CountEvent(.withdraw(c), epoch: epoch)] {
                guard let leaf = try? MerkleTree.leafHash(event.entry) else { continue }
                if MerkleTree.verifyInclusion(
                    leafHash: leaf, index: proof.index, size: checkpoint.checkpoint.size, proof: proof.proof, root: checkpoint.checkpoint.rootHash)
                {
                    logged = event
                    break
                }
            }
        }
        if let logged {
            let what: String
            switch logged.kind {
            case .confirm: what = "confirmed"
            case .withdraw, .shred: what = "withdrawn"
            }
            checks.append(pass("inclusion", "\(what): `\(logged.text.dropLast())` is leaf \(proof.index) of \(checkpoint.checkpoint.size)"))
        } else {
            checks.append(
                fail(
                    "inclusion",
                    "neither the confirm nor the withdraw leaf of r's commitment in epoch \(epoch) is leaf \(proof.index) under the "
                        + "checkpoint's root: the proof is damaged, or r is not this petition's"))
        }
        return Outcome(report: AuditReport(checks: checks), event: logged, checkpoint: checkpoint)
    }

    private var skipped: [AuditReport.Check] {
        ["checkpoint-signature", "witness-cosignatures", "inclusion"].map { fail($0, "not checked: the proof does not parse") }
    }

    func signatureCheck(_ note: SignedNote, origin: String) -> AuditReport.Check {
        let keys = [CountCheckpoint.verifier(origin: origin, auditVerifier: logKey), logKey]
        var valid = 0
        for key in keys {
            guard let id = try? key.keyID else { continue }
            for line in note.signatures where line.name == key.name && line.keyID == id {
                guard key.publicKey.isValidSignature(line.signature, for: Array(note.text.utf8)) else {
                    return fail("checkpoint-signature", "the line by \(key.name)+\(Hex.encode(id)) does not verify: the checkpoint was altered")
                }
                valid += 1
            }
        }
        return valid > 0
            ? pass("checkpoint-signature", "signed by the log key \(logKey.name)")
            : fail("checkpoint-signature", "no signature by the log key \(logKey.name): the checkpoint is not the log's")
    }

    func witnessCheck(_ note: SignedNote) -> AuditReport.Check {
        guard !witnesses.isEmpty else { return pass("witness-cosignatures", "no witness required") }
        var cosigned: [String] = []
        for witness in witnesses {
            switch witness.cosignatures(on: note) {
            case .invalid: return fail("witness-cosignatures", "the cosignature by \(witness.name) does not verify: the checkpoint was altered")
            case .valid: cosigned.append(witness.name)
            case .absent: break
            }
        }
        return cosigned.count >= witnessesRequired
            ? pass("witness-cosignatures", "cosigned by \(cosigned.joined(separator: ", ")) (\(cosigned.count) of \(witnessesRequired) required)")
            : fail("witness-cosignatures", "\(cosigned.count) of the \(witnessesRequired) required witnesses cosigned")
    }

    private func pass(_ name: String, _ evidence: String) -> AuditReport.Check {
        AuditReport.Check(name: name, passed: true, evidence: evidence)
    }

    private func fail(_ name: String, _ evidence: String) -> AuditReport.Check {
        AuditReport.Check(name: name, passed: false, evidence: evidence)
    }
}
