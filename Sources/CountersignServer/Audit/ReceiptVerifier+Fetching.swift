import CountersignCore
import Foundation

extension ReceiptVerifier {
    /// One online run of `countersign receipt verify`: read the checkpoint seen last time from `statePath`, fetch the
    /// receipt's part of the log with `fetcher`, verify it, and store the new checkpoint there unless a check failed.
    ///
    /// - Parameter statePath: an ``AuditState`` file holding the count checkpoint seen last time; `nil` for none.
    public func fetchAndVerify(_ receipt: Receipt, fetcher: CountFetcher, statePath: String?, today: Date = Date()) async throws -> Outcome {
        let state = try statePath.flatMap { try AuditState.load($0) }
        let previous = try state?.previous()
        let (snapshot, firstBundle) = try await fetcher.receiptLog(epoch: receipt.epoch, previousSize: previous?.size)
        let outcome = verify(receipt, snapshot: snapshot, firstBundle: firstBundle, previous: previous)
        if let statePath, outcome.report.passed {
            let audits = (state?.audits ?? []) + [AuditState.Audit(date: today, size: snapshot.size)]
            try AuditState(checkpoint: snapshot.checkpoint, audits: audits).save(to: statePath)
        }
        return outcome
    }
}
