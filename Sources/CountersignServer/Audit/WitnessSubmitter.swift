import CountersignCore
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Submits the logs' checkpoints to their witnesses (`serve --witness URL=VERIFIER`), C2SP tlog-witness style, and keeps
/// the cosignatures they return for `GET /audit/checkpoint` and `GET /count/{slug}/checkpoint` (``WitnessCosignatures``).
/// The logs are the audit log and every petition's count log that holds an entry: their origins begin with the audit
/// origin, which a witness configured for it accepts (``WitnessedLog``).
///
/// Every ``interval`` it looks at each log's size; what follows holds for each log on its own. A witness gets the
/// checkpoint when the log has grown since its last cosignature, and again once that cosignature is ``refresh`` old (55
/// minutes), so that an auditor's `--max-age` holds on a quiet day. The request carries the size the witness cosigned
/// last and the consistency proof from it; a 409
/// names the witness's size (another instance submitted, or this one restarted), and the request is sent once more
/// from there. A witness that fails is retried with a backoff, doubling from ``interval`` up to five minutes.
struct WitnessSubmitter: Service {
    /// A log whose checkpoints go to the witnesses.
    struct Log: Sendable {
        let origin: String
        /// How many entries it holds now (a small read).
        let size: @Sendable () async throws -> Int
        /// Its tree and its checkpoint, signed by the log keys only, from one read of the entries.
        let signed: @Sendable () async throws -> (tree: MerkleTree, note: SignedNote)
        /// Where the witnesses' cosignatures go, to be served on its checkpoint.
        let cosignatures: WitnessCosignatures
    }

    /// The logs to keep witnessed, read afresh each round (petitions come and go).
    let logs: @Sendable () async throws -> [Log]
    let witnesses: [WitnessEndpoint]
    let interval: Duration
    let refresh: TimeInterval
    let logger: Logger
    private let progress = Progress()

    /// What the submitter knows of each witness, by log origin and witness index.
    private final class Progress: Sendable {
        struct Key: Hashable {
            let origin: String
            let witness: Int
        }

        struct Witness {
            /// The size the witness last said it cosigned (from a 200 or a 409).
            var knownSize: Int?
            /// The size and time of the cosignature held now.
            var cosigned: (size: Int, at: Date)?
            var failures = 0
            var retryAt = Date.distantPast
        }

        let witnesses = Mutex<[Key: Witness]>([:])
    }

    static let defaultRefresh: TimeInterval = 55 * 60
    static let maximumBackoff: TimeInterval = 300

    /// Keeps the audit log (`signer`) and, with `counts`, every petition's count log that holds an entry witnessed.
    init(
        signer: CheckpointSigner, counts: CountCheckpointSigner?, witnesses: [WitnessEndpoint], interval: Duration = .seconds(2),
        refresh: TimeInterval = defaultRefresh, logger: Logger
    ) {
        let audit = Log(
            origin: signer.log.origin, size: { try await signer.log.store.auditEntryCount() }, signed: { try await signer.signed() },
            cosignatures: signer.cosignatures)
        self.logs = {
            guard let counts else { return [audit] }
            return [audit] + (try await signer.log.store.petitions()).map { counts.witnessed($0.slug) }
        }
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

    /// One round: submit each log to every witness that is due. A log that fails is logged and the others still go.
    func tick(now: Date) async throws {
        for log in try await logs() {
            do {
                try await tick(log, now: now)
            } catch {
                logger.warning("witness submission failed", metadata: ["origin": "\(log.origin)", "error": "\(error)"])
            }
        }
    }

    private func tick(_ log: Log, now: Date) async throws {
        let size = try await log.size()
        // An empty count log (no epoch closed yet) has nothing to witness.
        guard size > 0 else { return }
        let due = progress.witnesses.withLock { state in
            witnesses.indices.filter { index in
                let witness = state[.init(origin: log.origin, witness: index)] ?? .init()
                guard witness.retryAt <= now else { return false }
                guard let cosigned = witness.cosigned else { return true }
                return cosigned.size != size || now.timeIntervalSince(cosigned.at) >= refresh
            }
        }
        guard !due.isEmpty else { return }
        let (tree, note) = try await log.signed()
        await withTaskGroup(of: Void.self) { group in
            for index in due {
                group.addTask { await submit(note, tree: tree, of: log, to: index, now: now) }
            }
        }
    }

    private func submit(_ note: SignedNote, tree: MerkleTree, of log: Log, to index: Int, now: Date) async {
        let endpoint = witnesses[index]
        let key = Progress.Key(origin: log.origin, witness: index)
        var old = progress.witnesses.withLock { $0[key]?.knownSize } ?? 0
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
                    log.cosignatures.store(lines, body: note.text, witness: endpoint.url)
                    progress.witnesses.withLock { $0[key] = .init(knownSize: tree.size, cosigned: (tree.size, now)) }
                    logger.debug(
                        "a witness cosigned the checkpoint",
                        metadata: ["witness": "\(endpoint.url)", "origin": "\(log.origin)", "size": "\(tree.size)"])
                    return
                case .conflict(let known):
                    progress.witnesses.withLock { $0[key, default: .init()].knownSize = known }
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
            var witness = state[key] ?? .init()
            witness.failures += 1
            let seconds = min(Self.maximumBackoff, Double(interval.components.seconds) * pow(2, Double(min(witness.failures, 16))))
            witness.retryAt = now.addingTimeInterval(seconds)
            state[key] = witness
            return witness.failures
        }
        logger.warning(
            "a witness did not cosign the checkpoint",
            metadata: ["witness": "\(endpoint.url)", "origin": "\(log.origin)", "reason": "\(failure)", "failures": "\(failures)"])
    }
}
