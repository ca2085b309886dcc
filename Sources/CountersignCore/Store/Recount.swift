/// A petition's maintained aggregates beside a recount from its signature rows, both read from one snapshot,
/// so that the comparison holds on a live store with writes in flight.
public struct Recount: Sendable, Equatable {
    public let maintained: Aggregates
    public let recounted: Aggregates

    public init(maintained: Aggregates, recounted: Aggregates) {
        self.maintained = maintained
        self.recounted = recounted
    }

    /// Whether the maintained aggregates equal the recount.
    public var consistent: Bool { maintained == recounted }
}
