import CountersignCore
import Foundation

extension CountVerifier {
    /// One run of `countersign count verify`: fetch the logged count the API serves (first, so that the log fetched
    /// after it holds at least that size), then the whole log, replay it, and add `count-tiles`
    /// (``CountLogSnapshot/tilesCheck(root:)``): the served tiles hash up to the checkpoint's root and hold the leaves
    /// replayed.
    public func fetchAndVerify(fetcher: CountFetcher) async throws -> AuditReport {
        let served = try await fetcher.servedCount()
        let snapshot = try await fetcher.wholeLog()
        var report = verify(checkpoint: snapshot.checkpoint, entries: snapshot.entries(), served: served)
        let root = try? CountCheckpoint(text: SignedNote(encoded: snapshot.checkpoint).text).checkpoint.rootHash
        report.checks.append(snapshot.tilesCheck(root: root).check)
        return report
    }
}
