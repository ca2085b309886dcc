import CountersignCrypto

/// `count-checkpoint-signature`: a line by the log key, under the count log's origin as its name, verifies, and no
/// line by that key fails. Lines by other keys (witnesses' cosignatures, a rotated log key) are ignored, as signed-note
/// requires.
struct CountCheckpointSignatureCheck: CountCheck {
    let name = "count-checkpoint-signature"
    let logKey: SignedNote.Verifier

    func check(_ evidence: CountEvidence) -> AuditReport.Check {
        guard let note = evidence.note else { return fail("there is no signed note to check") }
        let key = CountCheckpoint.verifier(origin: evidence.origin, auditVerifier: logKey)
        guard let id = try? key.keyID else { return fail("the key id of \(key.name) could not be computed") }
        let lines = note.signatures.filter { $0.name == key.name && $0.keyID == id }
        guard !lines.isEmpty else { return fail("no signature by the log key under \(key.name)+\(Hex.encode(id)): the checkpoint is not the log's") }
        guard lines.allSatisfy({ key.publicKey.isValidSignature($0.signature, for: Array(note.text.utf8)) }) else {
            return fail("the signature by \(key.name)+\(Hex.encode(id)) does not verify: the checkpoint was altered")
        }
        return pass("signed by \(key.name)+\(Hex.encode(id))")
    }
}
