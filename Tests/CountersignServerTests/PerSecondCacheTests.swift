@testable import CountersignServer
import Foundation
import Synchronization
import Testing

@Suite("Per-second cache")
struct PerSecondCacheTests {
    struct Failure: Error {}

    final class Counter: Sendable {
        private let count = Mutex(0)
        func next() -> Int { count.withLock { $0 += 1; return $0 } }
        var value: Int { count.withLock { $0 } }
    }

    @Test("within a second the value is computed once; after it, one computation runs while the others get the previous value")
    func singleFlight() async throws {
        let cache = PerSecondCache<String, Int>()
        let computations = Counter()
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(try await cache.value(for: "a", now: start) { () throws(Failure) in computations.next() } == 1)
        #expect(try await cache.value(for: "a", now: start.addingTimeInterval(0.5)) { () throws(Failure) in 99 } == 1)
        // The next second: 50 concurrent reads while one slow computation runs.
        let later = start.addingTimeInterval(1)
        let values = try await withThrowingTaskGroup(of: Int?.self) { group in
            for _ in 0..<50 {
                group.addTask {
                    try await cache.value(for: "a", now: later) { () throws(Failure) in
                        try? await Task.sleep(for: .milliseconds(200))
                        return computations.next()
                    }
                }
            }
            return try await group.reduce(into: [Int?]()) { $0.append($1) }
        }
        #expect(computations.value == 2)
        #expect(values.filter { $0 == 2 }.count == 1)
        #expect(values.filter { $0 == 1 }.count == 49)
        #expect(try await cache.value(for: "a", now: later) { () throws(Failure) in 99 } == 2)
    }

    @Test("a failed computation is thrown and the next request computes again; an unknown key is never stored")
    func failureAndUnknown() async throws {
        let cache = PerSecondCache<String, Int>()
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(try await cache.value(for: "a", now: start) { () throws(Failure) in 1 } == 1)
        let next = start.addingTimeInterval(1)
        await #expect(throws: Failure.self) { try await cache.value(for: "a", now: next) { () throws(Failure) in throw Failure() } }
        #expect(try await cache.value(for: "a", now: next) { () throws(Failure) in 2 } == 2)
        #expect(try await cache.value(for: "gone", now: start) { () throws(Failure) in nil } == nil)
        #expect(try await cache.value(for: "gone", now: start) { () throws(Failure) in 3 } == 3)
    }

    @Test("a computation that hangs holds the others back for ten seconds at most, then the next request computes again")
    func stuckComputation() async throws {
        let cache = PerSecondCache<String, Int>()
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(try await cache.value(for: "a", now: start) { () throws(Failure) in 1 } == 1)
        let hanging = Task {
            try await cache.value(for: "a", now: start.addingTimeInterval(1)) { () throws(Failure) in
                try? await Task.sleep(for: .seconds(3600))
                return 2
            }
        }
        try await Task.sleep(for: .milliseconds(100))
        #expect(try await cache.value(for: "a", now: start.addingTimeInterval(5)) { () throws(Failure) in 3 } == 1)
        #expect(try await cache.value(for: "a", now: start.addingTimeInterval(11)) { () throws(Failure) in 4 } == 4)
        hanging.cancel()
    }
}
