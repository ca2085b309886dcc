import CountersignCore
import Foundation
import Logging
import Metrics
import Synchronization

/// Watches the hourly sign counts per network and per email domain (``TrendCounter``) and says when one runs hot: a
/// warning in the log from ``TrendThresholds/warning`` signs in the last hour, and from ``TrendThresholds/alert`` also
/// an alert POSTed to the webhook (``AlertWebhook``), each at most once an hour per network or domain.
///
/// It is fed after the signer was answered: the network by ``MailSender`` for each sign request it admitted, the domain
/// and pseudonym by ``SigningService`` (``SignObserver``). What it reports names a network by its opaque ``NetworkID``
/// and a domain only once enough distinct signers used it; never an address, a canonical address or an IP. `/metrics`
/// counts the crossings by kind only: `countersign_trend_warnings_total{kind}` and `countersign_trend_alerts_total{kind}`.
public final class TrendMonitor: SignObserver {
    private let counter: Mutex<TrendCounter>
    private let webhook: AlertWebhook?
    private let logger: Logger
    private let now: @Sendable () -> Date
    private let warnings: [TrendCounter.Crossing.Kind: Counter]
    private let alerts: [TrendCounter.Crossing.Kind: Counter]

    init(
        thresholds: TrendThresholds, webhook: AlertWebhook?, logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.counter = Mutex(TrendCounter(thresholds: thresholds))
        self.webhook = webhook
        self.logger = logger
        self.now = now
        let kinds: [TrendCounter.Crossing.Kind] = [.network, .domain]
        warnings = Dictionary(uniqueKeysWithValues: kinds.map {
            ($0, Counter(label: "countersign_trend_warnings_total", dimensions: [("kind", $0.rawValue)]))
        })
        alerts = Dictionary(uniqueKeysWithValues: kinds.map {
            ($0, Counter(label: "countersign_trend_alerts_total", dimensions: [("kind", $0.rawValue)]))
        })
    }

    /// One sign request admitted from `network`.
    func observeSign(from network: NetworkID) {
        record(.network(network), signer: nil)
    }

    public func observeSign(domain: String, petition: PetitionSlug, pseudonym: Pseudonym) {
        record(.domain(domain), signer: (petition, pseudonym.tableKey))
    }

    private func record(_ subject: TrendCounter.Subject, signer: (petition: PetitionSlug, key: UInt64)?) {
        let date = now()
        let outcome = counter.withLock { $0.record(subject, signer: signer, at: date) }
        if outcome.tableFull {
            logger.warning("the trend table is full: networks and domains new this hour are not counted", metadata: ["kind": "\(subject.kind)"])
        }
        for crossing in outcome.crossings {
            let metadata: Logger.Metadata = [
                "kind": "\(crossing.kind.rawValue)", "name": "\(crossing.name)",
                "signs": "\(crossing.signs)", "threshold": "\(crossing.threshold)",
            ]
            switch crossing.level {
            case .warning:
                warnings[crossing.kind]?.increment()
                logger.warning("signs in the last hour reached the warning threshold", metadata: metadata)
            case .alert:
                alerts[crossing.kind]?.increment()
                logger.warning("signs in the last hour reached the alert threshold", metadata: metadata)
                webhook?.submit(TrendAlert(crossing: crossing, at: date))
            }
        }
    }
}
