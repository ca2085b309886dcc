import CountersignCore
import Synchronization

/// The cosignatures each witness returned for the log's checkpoint, kept with the checkpoint body they sign, so that
/// `GET /audit/checkpoint` serves them on exactly that checkpoint and on no other. Kept in memory: after a restart the
/// ``WitnessSubmitter`` submits at once and they are back within seconds.
final class WitnessCosignatures: Sendable {
    private let received = Mutex<[String: (body: String, lines: [SignedNote.Signature])]>([:])

    init() {}

    /// Records the lines `witness` returned for the checkpoint body `body`, replacing what it returned before.
    func store(_ lines: [SignedNote.Signature], body: String, witness: String) {
        received.withLock { $0[witness] = (body, lines) }
    }

    /// Every line received for the checkpoint body `body`, in witness order.
    func lines(for body: String) -> [SignedNote.Signature] {
        received.withLock { received in
            received.keys.sorted().flatMap { key in received[key].map { $0.body == body ? $0.lines : [] } ?? [] }
        }
    }
}
