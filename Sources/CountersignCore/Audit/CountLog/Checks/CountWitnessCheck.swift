/// `witness-cosignatures`: at least the required number of the trusted witnesses cosigned the count checkpoint, and no
/// line by one of them fails, as ``ReceiptProofVerifier`` checks a receipt's: with witnesses, the count replayed is
/// the one everyone is shown. Without `--witness`, nothing is required and the line says so.
struct CountWitnessCheck: CountCheck {
    let name = "witness-cosignatures"
    let requirement: ReceiptProofVerifier

    func check(_ evidence: CountEvidence) -> AuditReport.Check {
        guard let note = evidence.note else { return fail("there is no signed note to check") }
        return requirement.witnessCheck(note)
    }
}
