import CountersignCore
import Foundation

/// A running witness: the logs it cosigns, its key, and its state. One actor, so that checking a request against the
/// last cosigned size and persisting the new size happen as one step (tlog-witness: otherwise two requests could
/// roll the recorded size back).
actor Witness {
    let signer: WitnessSigner
    let logs: [WitnessedLog]
    private let file: WitnessStateFile
    private var state: WitnessState

    init(signer: WitnessSigner, logs: [WitnessedLog], file: WitnessStateFile) throws {
        self.signer = signer
        self.logs = logs
        self.file = file
        state = try file.load()
    }

    /// Decides `request` (``WitnessState/decide(_:logs:)``); on ``WitnessDecision/cosign(_:)`` records the checkpoint,
    /// persists the state, and only then cosigns it at `now`.
    func add(_ request: AddCheckpointRequest, now: Date) throws -> (WitnessDecision, Cosignature?) {
        let decision = state.decide(request, logs: logs)
        guard case .cosign(let checkpoint) = decision else { return (decision, nil) }
        var next = state
        next.record(checkpoint)
        try file.save(next)
        state = next
        return (decision, try signer.cosign(request.checkpoint.text, at: now))
    }
}
