import Foundation

/// A closed batch of count events, appended to the log together and sorted (``CountEvent/epochOrder(_:_:)``), so that
/// a leaf's index reveals its epoch and nothing finer: not the order nor the moment of a confirmation.
///
/// Epochs are numbered 0, 1, 2, … along the log with no gap, and every leaf names its epoch. A confirmation's receipt
/// carries the number of the epoch that was open when it was confirmed (the number of epochs closed so far), which
/// is the epoch it is logged in: a close takes every pending event.
public struct CountEpoch: Sendable, Equatable {
    /// The epoch's number.
    public let number: Int
    /// The epoch's leaves, in log order.
    public let events: [CountEvent]

    /// Builds epoch `number` from pending events, in log order.
    public init(number: Int, pending: [PendingCountEvent]) {
        self.number = number
        events = pending.map { CountEvent($0.kind, epoch: number) }.sorted(by: CountEvent.epochOrder)
    }

    /// The leaves' bytes, to append to the log in this order.
    public var entries: [[UInt8]] { events.map(\.entry) }

    /// What to do with the open epoch now.
    public enum Decision: Sendable, Equatable {
        /// Nothing is pending.
        case empty
        /// The epoch is too young: it may close at `until`.
        case waitForAge(until: Date)
        /// The epoch holds `have` events and needs `need`.
        case waitForEvents(have: Int, need: Int)
        /// Close it: append its pending events' leaves and open the next epoch.
        case close
    }

    /// Whether `open` closes at `now` under `policy`.
    ///
    /// - It closes at once when it holds a `shred`: the petition's key is gone and no event can follow.
    /// - Otherwise it needs the hour of its oldest event to have begun at least `policy.minimumAge` ago, and, while
    ///   the petition collects signatures, at least `policy.minimumEvents` events. A closed petition's last events
    ///   (withdrawals) would otherwise wait for ever; they close on age alone.
    ///
    /// It reads only ``OpenCountEpoch``'s summary, which a database store takes from its indexes, so that deciding to
    /// wait costs the same whether the epoch holds ten events or a surge's million.
    public static func decide(_ open: OpenCountEpoch, now: Date, policy: CountEpochPolicy = .standard) -> Decision {
        guard let oldest = open.oldestHour else { return .empty }
        if open.holdsShred { return .close }
        let due = oldest.addingTimeInterval(TimeInterval(policy.minimumAge.components.seconds))
        guard now >= due else { return .waitForAge(until: due) }
        guard !open.acceptingSignatures || open.events >= policy.minimumEvents else {
            return .waitForEvents(have: open.events, need: policy.minimumEvents)
        }
        return .close
    }
}
