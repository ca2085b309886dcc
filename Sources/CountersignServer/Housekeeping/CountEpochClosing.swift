import CountersignCore
import Foundation
import Logging
import ServiceLifecycle

/// Closes each petition's open count epoch once ``CountEpoch/decide(_:now:policy:)``
/// says so under ``policy`` (`serve --count-epoch-age`, `--count-epoch-events`): on startup, then every ``interval``
/// (a minute, or a quarter of the epoch age when that is shorter, at least a second), and once more right after a
/// round that closed an epoch.
///
/// Every instance runs this and none coordinates: the store decides and opens the next epoch under the petition's lock
/// (``CountLogStore/closeCountEpoch(_:at:policy:)``), so a second instance closing at the same moment finds nothing
/// pending and closes nothing, or helps finish a close under way or one that an instance which died left half-way.
/// Closing is idempotent; the log grows by each epoch once, and only the call that publishes it reports it.
struct CountEpochClosing: Service {
    let store: any SignatureStore
    let policy: CountEpochPolicy
    let logger: Logger

    var interval: Duration { min(.seconds(60), max(.seconds(1), policy.minimumAge / 4)) }

    func run() async throws {
        // Store errors say what to fix and carry no signer data; a log line never holds more than a slug and counts.
        await repeatUntilShutdown(every: interval, logger: logger, failure: "closing count epochs failed", describe: { "\($0)" }) {
            if try await tick(now: Date()) > 0 { _ = try await tick(now: Date()) }
        }
    }

    /// One round over every petition; returns how many epochs it closed.
    @discardableResult
    func tick(now: Date) async throws -> Int {
        var closed = 0
        for petition in try await store.petitions() {
            let epoch = try await store.closeCountEpoch(petition.slug, at: now, policy: policy)
            guard let epoch else { continue }
            closed += 1
            logger.info(
                "closed a count epoch", metadata: ["slug": "\(petition.slug.value)", "epoch": "\(epoch.number)", "entries": "\(epoch.entries.count)"])
        }
        return closed
    }
}
