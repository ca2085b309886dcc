/// The change one confirmation or one withdrawal makes to a petition's aggregates: the total, the day's cell and,
/// when the signature has a region, the region's cell, each by ``delta``. A cell that reaches zero is removed.
public struct CountDelta: Sendable, Equatable {
    /// One aggregate cell the change touches besides the total.
    public enum Cell: Sendable, Equatable {
        case day(String)
        case region(String)
    }

    /// `1` for a confirmation, `-1` for a withdrawal.
    public let delta: Int
    public let day: String
    public let region: String?

    private init(delta: Int, day: String, region: String?) {
        self.delta = delta
        self.day = day
        self.region = region
    }

    /// A confirmation recorded on `day`.
    public static func confirmation(day: String, region: String?) -> CountDelta { CountDelta(delta: 1, day: day, region: region) }

    /// The withdrawal of a signature recorded on `day`.
    public static func withdrawal(day: String, region: String?) -> CountDelta { CountDelta(delta: -1, day: day, region: region) }

    /// The cells to change besides the total; signatures without a region count in the total and their day only.
    public var cells: [Cell] {
        if let region { [.day(day), .region(region)] } else { [.day(day)] }
    }
}
