import Foundation

/// An event waiting for its epoch to close, as the store keeps it (a pending-events table): the event, without an
/// epoch yet, and the UTC hour it was recorded in. No finer time is kept, as for every other stored time.
public struct PendingCountEvent: Sendable, Hashable {
    public let kind: CountEvent.Kind
    /// The start of the UTC hour the event was recorded in; a finer date is rounded down.
    public let hour: Date

    public init(_ kind: CountEvent.Kind, hour: Date) {
        self.kind = kind
        self.hour = Self.hourFloor(hour)
    }

    /// `date` rounded down to the start of its UTC hour.
    public static func hourFloor(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 / 3_600).rounded(.down) * 3_600)
    }
}
