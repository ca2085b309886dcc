/// The counts of one petition's confirmed signatures: the total, per UTC day and per region.
///
/// Stores maintain these in the same transaction as the signature rows; ``SignatureStore/recount(_:)``
/// compares them with a count of the rows, and the two must always be equal. Zero cells are absent.
public struct Aggregates: Sendable, Equatable, Codable {
    public var total: Int
    /// Confirmed signatures per UTC day (``UTCDay`` text, `YYYY-MM-DD`).
    public var byDay: [String: Int]
    /// Confirmed signatures per region; signatures without a region count in ``total`` only.
    public var byRegion: [String: Int]

    public init(total: Int = 0, byDay: [String: Int] = [:], byRegion: [String: Int] = [:]) {
        self.total = total
        self.byDay = byDay
        self.byRegion = byRegion
    }

    /// Applies one confirmation or withdrawal, dropping cells that reach zero.
    public mutating func apply(_ change: CountDelta) {
        total += change.delta
        for cell in change.cells {
            switch cell {
            case .day(let day): Self.add(change.delta, to: &byDay, at: day)
            case .region(let region): Self.add(change.delta, to: &byRegion, at: region)
            }
        }
    }

    private static func add(_ delta: Int, to cells: inout [String: Int], at key: String) {
        let count = cells[key, default: 0] + delta
        cells[key] = count == 0 ? nil : count
    }
}
