import CountersignCore
import Foundation
import Logging
import NIOCore
import ServiceLifecycle

/// The outgoing mail queue: in memory only (a restart loses queued mail, never leaks it to disk), bounded, delivered
/// in the background by ``workers`` concurrent workers, each message within ``deadline``.
///
/// A slow or refusing relay holds one worker for at most one deadline, so mail to other recipients is not delayed by
/// more than that: a failed message waits for its retry in the queue (exponential backoff), not in a worker, and a
/// permanent refusal (an SMTP 5xx) is not retried. Sign reserves a slot before it writes anything, so when the queue
/// is full the request is refused (503, `Retry-After`) with nothing stored. On graceful shutdown the queue is drained
/// for at most ``drainTimeout``.
public actor MailQueue: Service {
    public let capacity: Int
    public let workers: Int
    /// How long one delivery attempt may take.
    public let deadline: Duration
    public let drainTimeout: Duration
    private let transport: any MailTransport
    private let publicURL: String
    private let linkLifetime: Duration
    private let maximumAttempts: Int
    private let firstRetryDelay: Duration
    private let logger: Logger

    private struct Entry {
        let mail: OutgoingMail
        /// The `Date:` of the message: when it was queued, not when a worker got to it.
        let queuedAt: Date
        var attempt = 1
        var notBefore = ContinuousClock.now
    }

    /// New mail, due at once, first in first out: taking the first is O(1) however long a surge makes the queue.
    private var fresh = CircularBuffer<Entry>()
    /// Failed mail waiting out its backoff; few, so they are searched.
    private var retries: [Entry] = []
    private var reserved = 0
    private var delivering = 0
    private var draining = false
    private var drainDeadline: ContinuousClock.Instant?
    private var waiters: [CheckedContinuation<Void, Never>] = []

    public init(
        transport: any MailTransport, publicURL: String, linkLifetime: Duration = Token.defaultLifetime,
        capacity: Int = 10_000, workers: Int = 4, deadline: Duration = .seconds(30), maximumAttempts: Int = 5,
        firstRetryDelay: Duration = .seconds(1), drainTimeout: Duration = .seconds(10), logger: Logger
    ) {
        self.transport = transport
        self.publicURL = publicURL
        self.linkLifetime = linkLifetime
        self.capacity = capacity
        self.workers = max(1, workers)
        self.deadline = deadline
        self.maximumAttempts = maximumAttempts
        self.firstRetryDelay = firstRetryDelay
        self.drainTimeout = drainTimeout
        self.logger = logger
    }

    /// Reserves room for one mail; `false` when the queue is full.
    public func reserve() -> Bool {
        guard !draining, queuedCount + reserved < capacity else { return false }
        reserved += 1
        return true
    }

    /// Uses a reservation: queues `mail`, or just releases the slot when there is nothing to send.
    public func fulfil(_ mail: OutgoingMail?) {
        reserved -= 1
        if let mail {
            fresh.append(Entry(mail: mail, queuedAt: Date()))
            wakeOne()
        }
        // Also on a released slot: a draining worker waits for the last reservation to go.
        if draining { wakeAll() }
    }

    private var queuedCount: Int { fresh.count + retries.count }

    public func run() async {
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                for _ in 0..<workers {
                    group.addTask { await self.work() }
                }
            }
        } onGracefulShutdown: {
            Task { await self.startDraining() }
        }
    }

    private func startDraining() {
        draining = true
        let deadline = ContinuousClock.now + drainTimeout
        drainDeadline = deadline
        wakeAll()
        // Wake the idle workers once more at the deadline, in case a reservation is never released.
        Task {
            try? await Task.sleep(until: deadline)
            self.wakeAll()
        }
    }

    private func work() async {
        while let entry = await next() {
            await attempt(entry)
        }
    }

    /// The next entry due for an attempt, or `nil` when this worker should stop: cancelled, drained, or past the
    /// drain deadline.
    private func next() async -> Entry? {
        while !Task.isCancelled {
            if let deadline = drainDeadline, ContinuousClock.now >= deadline {
                if queuedCount > 0 { logger.warning("mail queue drain timed out", metadata: ["left": "\(queuedCount)"]) }
                fresh.removeAll()
                retries.removeAll()
                return nil
            }
            // A retry whose backoff is over goes first, so that a surge of new mail cannot hold it back for ever.
            let now = ContinuousClock.now
            if let index = retries.firstIndex(where: { $0.notBefore <= now }) {
                delivering += 1
                return retries.remove(at: index)
            }
            if let entry = fresh.popFirst() {
                delivering += 1
                return entry
            }
            if retries.isEmpty {
                if draining && reserved == 0 && delivering == 0 { return nil }
                await waitForWork()
            } else if let soonest = retries.map(\.notBefore).min() {
                // Only retries waiting out their backoff: look again when the first is due, and at least every 100 ms so
                // that new mail does not wait behind them.
                try? await Task.sleep(until: min(soonest, .now + .milliseconds(100)))
            }
        }
        return nil
    }

    private func waitForWork() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { waiters.append($0) }
        } onCancel: {
            Task { await self.wakeAll() }
        }
    }

    private func wakeOne() {
        guard !waiters.isEmpty else { return }
        waiters.removeFirst().resume()
    }

    private func wakeAll() {
        let woken = waiters
        waiters = []
        woken.forEach { $0.resume() }
    }

    private func attempt(_ entry: Entry) async {
        defer {
            delivering -= 1
            // A draining worker waits for the last delivery to end.
            if draining { wakeAll() }
        }
        let message = MailMessage(entry.mail, publicURL: publicURL, linkLifetime: linkLifetime, date: entry.queuedAt)
        do {
            try await transport.deliver(message, within: deadline)
        } catch {
            let permanent = (error as? MailDeliveryError)?.permanent ?? false
            // The error may quote the server's reply; log its type only, never the recipient.
            logger.notice(
                "mail delivery failed",
                metadata: ["request": "\(entry.mail.kind.request)", "attempt": "\(entry.attempt)", "error": "\(type(of: error))", "permanent": "\(permanent)"])
            guard !permanent, entry.attempt < maximumAttempts, !draining else {
                logger.warning("mail abandoned", metadata: ["request": "\(entry.mail.kind.request)", "attempts": "\(entry.attempt)"])
                return
            }
            var retry = entry
            retry.attempt += 1
            retry.notBefore = .now + firstRetryDelay * (1 << (entry.attempt - 1))
            retries.append(retry)
        }
    }
}
