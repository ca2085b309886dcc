import Foundation

/// The only time a signature keeps: its UTC calendar date, as `YYYY-MM-DD`.
public enum UTCDay {
    private static let style = Date.ISO8601FormatStyle(timeZone: .gmt).year().month().day()

    /// The UTC date of `date`.
    public static func of(_ date: Date) -> String {
        date.formatted(style)
    }
}
