import CountersignCore
import CountersignServer
import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import Testing

@Suite("Mail queue")
struct MailQueueTests {
    static let mail = OutgoingMail(
        recipient: "someone@example.org", petitionSlug: try! PetitionSlug("p"), petitionTitle: "P", kind: .confirm(token: "t"))

    /// Delivers slowly, failing the first `failures` attempts.
    final class SlowTransport: MailTransport {
        let attempts = Mutex(0)
        let delivered = Mutex(0)
        let failures: Int
        init(failures: Int = 0) { self.failures = failures }

        func deliver(_ message: MailMessage, within deadline: Duration) async throws {
            try await Task.sleep(for: .milliseconds(100))
            let attempt = attempts.withLock { $0 += 1; return $0 }
            if attempt <= failures { throw CancellationError() }
            delivered.withLock { $0 += 1 }
        }
    }

    @Test("graceful shutdown drains the queued mail before the service stops")
    func drainOnShutdown() async throws {
        let transport = SlowTransport()
        let queue = MailQueue(transport: transport, publicURL: "https://example.org", logger: Logger(label: "test"))
        for _ in 0..<3 {
            #expect(await queue.reserve())
            await queue.fulfil(Self.mail)
        }
        let group = ServiceGroup(services: [queue], gracefulShutdownSignals: [], cancellationSignals: [], logger: Logger(label: "test"))
        async let running: Void = group.run()
        try await Task.sleep(for: .milliseconds(20))
        await group.triggerGracefulShutdown()
        try await running
        #expect(transport.delivered.withLock { $0 } == 3)
        #expect(await queue.reserve() == false, "a draining queue takes no new mail")
    }

    @Test("a failed delivery is retried with backoff")
    func retries() async throws {
        let transport = SlowTransport(failures: 2)
        let queue = MailQueue(transport: transport, publicURL: "https://example.org", firstRetryDelay: .milliseconds(10), logger: Logger(label: "test"))
        #expect(await queue.reserve())
        await queue.fulfil(Self.mail)
        let task = Task { await queue.run() }
        for _ in 0..<100 where transport.delivered.withLock({ $0 }) == 0 { try await Task.sleep(for: .milliseconds(20)) }
        task.cancel()
        #expect(transport.attempts.withLock { $0 } == 3)
        #expect(transport.delivered.withLock { $0 } == 1)
    }

    /// Fails the first attempt of the mail whose link ends in `/confirm/retried`, and delivers the rest after 2 ms,
    /// recording the order of the links delivered.
    final class OrderTransport: MailTransport {
        let delivered = Mutex<[String]>([])
        let failed = Mutex(false)
        func deliver(_ message: MailMessage, within deadline: Duration) async throws {
            try await Task.sleep(for: .milliseconds(2))
            let link = message.link ?? ""
            if link.hasSuffix("/retried"), !failed.withLock({ failed in
                defer { failed = true }
                return failed
            }) {
                throw CancellationError()
            }
            delivered.withLock { $0.append(link) }
        }
    }

    @Test("a retry whose backoff is over goes before new mail, so a surge cannot hold it back")
    func retryBeforeSurge() async throws {
        let transport = OrderTransport()
        let queue = MailQueue(
            transport: transport, publicURL: "https://example.org", workers: 1, firstRetryDelay: .milliseconds(10), logger: Logger(label: "test"))
        let retried = OutgoingMail(recipient: "a@example.org", petitionSlug: try PetitionSlug("p"), petitionTitle: "P", kind: .confirm(token: "retried"))
        #expect(await queue.reserve())
        await queue.fulfil(retried)
        for _ in 0..<200 {
            #expect(await queue.reserve())
            await queue.fulfil(Self.mail)
        }
        let task = Task { await queue.run() }
        for _ in 0..<500 where transport.delivered.withLock({ $0.count }) < 201 { try await Task.sleep(for: .milliseconds(10)) }
        task.cancel()
        let order = transport.delivered.withLock { $0 }
        #expect(order.count == 201)
        // Its retry is due 10 ms after the failure, a few deliveries of 2 ms later; not after the 200 queued behind it.
        let position = try #require(order.firstIndex { $0.hasSuffix("/retried") })
        #expect(position < 50, "the retry came at position \(position) of 201")
    }

    /// Refuses every delivery for good, as a relay answering 550 does.
    final class RefusingTransport: MailTransport {
        let attempts = Mutex(0)
        func deliver(_ message: MailMessage, within deadline: Duration) async throws {
            attempts.withLock { $0 += 1 }
            throw MailDeliveryError("550 mailbox unavailable", permanent: true)
        }
    }

    @Test("a permanent refusal is not retried")
    func permanentFailure() async throws {
        let transport = RefusingTransport()
        let queue = MailQueue(transport: transport, publicURL: "https://example.org", firstRetryDelay: .milliseconds(10), logger: Logger(label: "test"))
        #expect(await queue.reserve())
        await queue.fulfil(Self.mail)
        let task = Task { await queue.run() }
        for _ in 0..<500 where transport.attempts.withLock({ $0 }) == 0 { try await Task.sleep(for: .milliseconds(10)) }
        // A retry would come 10 ms later; give it fifty times that.
        try await Task.sleep(for: .milliseconds(500))
        task.cancel()
        #expect(transport.attempts.withLock { $0 } == 1)
    }

    /// Holds each delivery until `expected` deliveries are in flight at once (or 5 s pass), and records the most.
    final class GatheringTransport: MailTransport {
        let inFlight = Mutex((now: 0, most: 0))
        let expected: Int
        init(expected: Int) { self.expected = expected }

        func deliver(_ message: MailMessage, within deadline: Duration) async throws {
            inFlight.withLock { $0.now += 1; $0.most = max($0.most, $0.now) }
            for _ in 0..<500 where inFlight.withLock({ $0.most }) < expected { try await Task.sleep(for: .milliseconds(10)) }
            inFlight.withLock { $0.now -= 1 }
        }
    }

    @Test("workers deliver concurrently: four mails are in flight at once")
    func concurrentWorkers() async throws {
        let transport = GatheringTransport(expected: 4)
        let queue = MailQueue(transport: transport, publicURL: "https://example.org", workers: 4, logger: Logger(label: "test"))
        for _ in 0..<4 {
            #expect(await queue.reserve())
            await queue.fulfil(Self.mail)
        }
        let task = Task { await queue.run() }
        for _ in 0..<500 where transport.inFlight.withLock({ $0.most }) < 4 { try await Task.sleep(for: .milliseconds(10)) }
        task.cancel()
        #expect(transport.inFlight.withLock { $0.most } == 4)
    }

    @Test("the queue is bounded: reservations past capacity are refused")
    func bounded() async {
        let queue = MailQueue(transport: SlowTransport(), publicURL: "https://example.org", capacity: 2, logger: Logger(label: "test"))
        #expect(await queue.reserve())
        #expect(await queue.reserve())
        #expect(await queue.reserve() == false)
        await queue.fulfil(nil)
        #expect(await queue.reserve())
    }
}
