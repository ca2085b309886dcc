import CountersignCore
import Foundation
import Logging
import ServiceLifecycle

/// The outgoing mail queue: in memory only (a restart loses queued mail, never leaks it to disk), bounded,
/// delivered in the background with retries and exponential backoff.
///
/// Sign reserves a slot before it writes anything, so when the queue is full the request is refused
/// (503, `Retry-After`) with nothing stored. On graceful shutdown the queue is drained for at most
/// ``drainTimeout``.
public actor MailQueue: Service {
    public let capacity: Int
    public let drainTimeout: Duration
    private let transport: any MailTransport
    private let publicURL: String
    private let linkLifetime: Duration
    private let maximumAttempts: Int
    private let firstRetryDelay: Duration
    private let logger: Logger
    private var queued: [OutgoingMail] = []
    private var reserved = 0
    private var draining = false
    private let wakeUps: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation

    public init(
        transport: any MailTransport, publicURL: String, linkLifetime: Duration = Token.defaultLifetime,
        capacity: Int = 10_000, maximumAttempts: Int = 5,
        firstRetryDelay: Duration = .seconds(1), drainTimeout: Duration = .seconds(10), logger: Logger
    ) {
        self.transport = transport
        self.publicURL = publicURL
        self.linkLifetime = linkLifetime
        self.capacity = capacity
        self.maximumAttempts = maximumAttempts
        self.firstRetryDelay = firstRetryDelay
        self.drainTimeout = drainTimeout
        self.logger = logger
        (wakeUps, wake) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Reserves room for one mail; `false` when the queue is full.
    public func reserve() -> Bool {
        guard !draining, queued.count + reserved < capacity else { return false }
        reserved += 1
        return true
    }

    /// Uses a reservation: queues `mail`, or just releases the slot when there is nothing to send.
    public func fulfil(_ mail: OutgoingMail?) {
        reserved -= 1
        if let mail { queued.append(mail) }
        // Also on a released slot: a draining loop waits for the last reservation to go.
        wake.yield()
    }

    public func run() async {
        await withGracefulShutdownHandler {
            await deliverUntilDrained()
        } onGracefulShutdown: {
            Task { await self.startDraining() }
        }
    }

    private func startDraining() {
        draining = true
        wake.yield()
    }

    private func deliverUntilDrained() async {
        var drainDeadline: ContinuousClock.Instant?
        while !Task.isCancelled {
            if draining, drainDeadline == nil { drainDeadline = .now + drainTimeout }
            if let deadline = drainDeadline, ContinuousClock.now >= deadline {
                logger.warning("mail queue drain timed out", metadata: ["left": "\(queued.count)"])
                return
            }
            guard !queued.isEmpty else {
                if draining && reserved == 0 { return }
                for await _ in wakeUps { break }
                continue
            }
            let mail = queued.removeFirst()
            await deliver(mail)
        }
    }

    private func deliver(_ mail: OutgoingMail) async {
        let message = MailMessage(mail, publicURL: publicURL, linkLifetime: linkLifetime)
        var delay = firstRetryDelay
        for attempt in 1...maximumAttempts {
            do {
                try await transport.deliver(message)
                return
            } catch {
                // The error may quote the server's reply; log its type only, never the recipient.
                logger.notice("mail delivery failed", metadata: ["kind": "\(mail.kind.name)", "attempt": "\(attempt)", "error": "\(type(of: error))"])
                if attempt < maximumAttempts && !draining {
                    try? await Task.sleep(for: delay)
                    delay *= 2
                }
            }
        }
        logger.warning("mail abandoned after retries", metadata: ["kind": "\(mail.kind.name)"])
    }
}
