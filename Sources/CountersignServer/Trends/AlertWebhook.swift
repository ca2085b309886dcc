import Foundation
import Logging
import Metrics
import ServiceLifecycle

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// POSTs trend alerts (``TrendAlert``) to the operator's URL, `--alert-webhook`, off the request path.
///
/// ``submit(_:)`` only puts the alert in a bounded queue (``capacity``) and returns; one worker sends the queued alerts in
/// order, each within ``timeout``, and does not retry: an alert is a nudge, and the next hour brings another if the trend
/// goes on. A full queue, a timeout, a refused connection or an answer other than 2xx counts in
/// `countersign_alert_webhook_failures_total` and is logged without the URL, which may hold a secret.
struct AlertWebhook: Service {
    let url: URL
    let capacity: Int
    let timeout: Duration
    private let logger: Logger
    private let queue: AsyncStream<Data>
    private let queued: AsyncStream<Data>.Continuation
    private let failures = Counter(label: "countersign_alert_webhook_failures_total")
    private static let session = URLSession(configuration: .ephemeral)

    init(url: URL, capacity: Int = 32, timeout: Duration = .seconds(5), logger: Logger) {
        self.url = url
        self.capacity = capacity
        self.timeout = timeout
        self.logger = logger
        (queue, queued) = AsyncStream.makeStream(of: Data.self, bufferingPolicy: .bufferingOldest(capacity))
    }

    /// Queues `alert` for the worker; never waits. A full queue drops it.
    func submit(_ alert: TrendAlert) {
        let body: Data
        do {
            body = try alert.json()
        } catch {
            fail("an alert could not be encoded")
            return
        }
        if case .dropped = queued.yield(body) { fail("the alert webhook queue is full; an alert was dropped") }
    }

    func run() async {
        await cancelWhenGracefulShutdown {
            for await body in queue {
                await post(body)
            }
        }
    }

    /// One POST of `body`, abandoned after ``timeout``.
    private func post(_ body: Data) async {
        var request = URLRequest(url: url, timeoutInterval: TimeInterval(timeout.components.seconds))
        request.httpMethod = "POST"
        request.httpBody = body
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        let status = await withTaskGroup(of: Int?.self) { group in
            group.addTask { [request] in
                (try? await Self.session.data(for: request)).map { ($0.1 as? HTTPURLResponse)?.statusCode ?? 0 }
            }
            group.addTask { [timeout] in
                try? await Task.sleep(for: timeout)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        if let status, (200..<300).contains(status) { return }
        fail("the alert webhook did not take an alert", status: status)
    }

    private func fail(_ message: Logger.Message, status: Int? = nil) {
        failures.increment()
        logger.warning(message, metadata: status.map { ["status": "\($0)"] } ?? [:])
    }
}
