import Foundation

/// When an epoch of the count log closes (``CountEpoch/decide(_:now:policy:)``): once
/// the hour its oldest event was recorded in began at least ``minimumAge`` ago, and it holds at least
/// ``minimumEvents`` events. Both figures are configuration; the defaults are an hour, the grain of every other stored
/// time, and 10 events, the small-cell threshold of exports.
public struct CountEpochPolicy: Sendable, Equatable {
    /// How old (from the start of its oldest event's hour) an epoch must be to close. Default: one hour.
    public var minimumAge: Duration
    /// How many events an epoch must hold to close while the petition collects signatures, at least 1. Default: 10.
    public var minimumEvents: Int {
        didSet { minimumEvents = max(1, minimumEvents) }
    }

    /// How many leaves a database store appends, and pending events it deletes, in one transaction while it closes an
    /// epoch, at least 1. Default: 2,000. A close of a surge's million events is then a thousand short
    /// transactions that signers' writes run between, instead of one that stops every write for seconds.
    public var slice: Int {
        didSet { slice = max(1, slice) }
    }

    public init(minimumAge: Duration = .seconds(3_600), minimumEvents: Int = 10, slice: Int = 2_000) {
        self.minimumAge = minimumAge
        self.minimumEvents = max(1, minimumEvents)
        self.slice = max(1, slice)
    }

    /// The defaults: an hour and 10 events.
    public static let standard = CountEpochPolicy()
}
