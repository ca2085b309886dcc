import Foundation

/// The only time a signature keeps: its UTC calendar date, as `YYYY-MM-DD`.
public enum UTCDay {
    private static let style = Date.ISO8601FormatStyle(timeZone: .gmt).year().month().day()

    /// The UTC date of `date`.
    public static func of(_ date: Date) -> String {
        date.formatted(style)
    }

    /// Midnight UTC of the day `text` (`YYYY-MM-DD`), or `nil` if it is not such a day.
    public static func date(_ text: String) -> Date? {
        guard text.utf8.count == 10, let date = try? Date(text, strategy: style), of(date) == text else { return nil }
        return date
    }
}
