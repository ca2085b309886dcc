import CountersignCore
import Foundation
import Logging
import ServiceLifecycle

/// Deletes expired pending confirmations and withdrawals on a timer: their pseudonyms (often of people who
/// never confirmed, or whose address someone else typed) are kept no longer than the link's lifetime.
struct PendingPurge: Service {
    let store: any SignerLedger
    let interval: Duration
    let logger: Logger

    func run() async throws {
        await repeatUntilShutdown(every: interval, logger: logger, failure: "purging expired pending rows failed") {
            let purged = try await store.purgeExpired(at: Date())
            if purged > 0 { logger.debug("purged expired pending rows", metadata: ["count": "\(purged)"]) }
        }
    }
}
