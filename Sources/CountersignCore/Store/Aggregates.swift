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

    /// Adds (`delta` = 1) or removes (`delta` = -1) one signature, dropping cells that reach zero.
    public mutating func apply(day: String, region: String?, delta: Int) {
        total += delta
        byDay[day, default: 0] += delta
        if byDay[day] == 0 { byDay[day] = nil }
        if let region {
            byRegion[region, default: 0] += delta
            if byRegion[region] == 0 { byRegion[region] = nil }
        }
    }
}
