import CountersignCore
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Submits the log's checkpoints to its witnesses (`serve --witness URL=VERIFIER`), C2SP tlog-witness style, and keeps
/// the cosignatures they return for `GET /audit/checkpoint` (``WitnessCosignatures``).
///
/// Every ``interval`` it looks at the log's size. A witness gets the checkpoint when the log has grown since its last
/// cosignature, and again once that cosignature is ``refresh`` old (55 minutes), so that an auditor's `--max-age` holds
/// on a quiet day. The request carries the size the witness cosigned last and the consistency proof from it; a 409
/// names the witness's size (another instance submitted, or this one restarted), and the request is sent once more
/// from there. A witness that fails is retried with a backoff, doubling from ``interval`` up to five minutes.
struct WitnessSubmitter: Service {
    let signer: CheckpointSigner
    let witnesses: [WitnessEndpoint]
    let interval: Duration
    let refresh: TimeInterval
    let logger: Logger
    private let progress = Progress()

    /// What the submitter knows of each witness, by index.
    private final class Progress: Sendable {
        struct Witness {
            /// The size the witness last said it cosigned (from a 200 or a 409).
            var knownSize: Int?
            /// The size and time of the cosignature held now.
            var cosigned: (size: Int, at: Date)?
            var failures = 0
            var retryAt = Date.distantPast
        }

        let witnesses = Mutex<[Int: Witness]>([:])
    }

    static let defaultRefresh: TimeInterval = 55 * 60
    static let maximumBackoff: TimeInterval = 300

    init(signer: CheckpointSigner, witnesses: [WitnessEndpoint], interval: Duration = .seconds(2), refresh: TimeInterval = defaultRefresh, logger: Logger) {
        self.signer = signer
        self.witnesses = witnesses
        self.interval = interval
        self.refresh = refresh
        self.logger = logger
    }

    func run() async throws {
        await repeatUntilShutdown(every: interval, logger: logger, failure: "witness submission failed", describe: { "\($0)" }) {
            try await tick(now: Date())
        }
    }

    /// One round: submit to every witness that is due.
    func tick(now: Date) async throws {
        let size = try await signer.log.store.auditEntryCount()
        let due = progress.witnesses.withLock { state in
            witnesses.indices.filter { index in
                let witness = state[index] ?? .init()
                guard witness.retryAt <= now else { return false }
                guard let cosigned = witness.cosigned else { return true }
                return cosigned.size != size || now.timeIntervalSince(cosigned.at) >= refresh
            }
        }
        guard !due.isEmpty else { return }
        let (tree, note) = try await signer.signed()
        await withTaskGroup(of: Void.self) { group in
            for index in due {
                group.addTask { await submit(note, tree: tree, to: index, now: now) }
            }
        }
    }

    private func submit(_ note: SignedNote, tree: MerkleTree, to index: Int, now: Date) async {
        let endpoint = witnesses[index]
        var old = progress.witnesses.withLock { $0[index]?.knownSize } ?? 0
        var failure = ""
        for attempt in 0..<2 {
            guard old <= tree.size else {
                failure = "the witness cosigned \(old) entries of this log, more than the \(tree.size) it holds: is this the log's database?"
                break
            }
            do {
                let proof = old > 0 && old < tree.size ? try tree.consistencyProof(oldSize: old, newSize: tree.size) ?? [] : []
                let request = AddCheckpointRequest(oldSize: old, proof: proof, checkpoint: note)
                switch try await WitnessClient(endpoint: endpoint).add(request) {
                case .cosigned(let lines):
                    signer.cosignatures.store(lines, body: note.text, witness: endpoint.url)
                    progress.witnesses.withLock { $0[index] = .init(knownSize: tree.size, cosigned: (tree.size, now)) }
                    logger.debug("a witness cosigned the checkpoint", metadata: ["witness": "\(endpoint.url)", "size": "\(tree.size)"])
                    return
                case .conflict(let known):
                    progress.witnesses.withLock { $0[index, default: .init()].knownSize = known }
                    failure = "the witness has cosigned size \(known) of this log, not \(old)"
                    guard attempt == 0, known != old else { break }
                    old = known
                    continue
                case .refused(let status, let reason):
                    failure = "the witness answered \(status): \(reason)"
                }
            } catch {
                failure = "\(error)"
            }
            break
        }
        let failures = progress.witnesses.withLock { state in
            var witness = state[index] ?? .init()
            witness.failures += 1
            let seconds = min(Self.maximumBackoff, Double(interval.components.seconds) * pow(2, Double(min(witness.failures, 16))))
            witness.retryAt = now.addingTimeInterval(seconds)
            state[index] = witness
            return witness.failures
        }
        logger.warning("a witness did not cosign the checkpoint", metadata: ["witness": "\(endpoint.url)", "reason": "\(failure)", "failures": "\(failures)"])
    }
}
