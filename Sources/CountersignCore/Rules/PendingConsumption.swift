import Foundation

/// What using a token id means: the one place that decides whether a confirmation or a withdrawal goes ahead.
///
/// The checks run in this order: an unknown id, a petition whose state takes no such use (thrown, as
/// ``StoreError/notOpen(_:_:)``), a replay, an expired row. A replay is answered before an expiry, so a link used
/// once still says "already confirmed" after it expires.
public enum PendingConsumption: Sendable, Equatable {
    /// Why nothing is recorded.
    public enum Refusal: Sendable, Equatable {
        /// No pending row has this id (never issued, superseded by a newer link, or purged).
        case unknown
        /// The id was used before.
        case replay
        /// The row expired before it was used.
        case expired
    }

    case refused(Refusal)
    /// Mark the row consumed, then record the signature on `day` with `region` (a confirmation) or delete it (a
    /// withdrawal, which takes the day and region from the signature).
    case consume(day: String, region: String?)

    /// Decides the use of `row` (`nil` when no row has the id) at `date`.
    public init(_ row: PendingRow?, at date: Date) throws(StoreError) {
        guard let row else {
            self = .refused(.unknown)
            return
        }
        guard row.state.takes(row.purpose) else { throw .notOpen(row.slug, row.state) }
        if row.consumed {
            self = .refused(.replay)
        } else if row.expiresAt <= date {
            self = .refused(.expired)
        } else {
            self = .consume(day: UTCDay.of(date), region: row.region)
        }
    }
}
