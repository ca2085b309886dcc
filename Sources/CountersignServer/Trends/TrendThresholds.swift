/// When the hourly sign counts of a network or an email domain call for attention (``TrendCounter``): from
/// ``warning`` signs in the last hour a warning is logged (`--alert-warn`), from ``alert`` an alert is also POSTed to
/// the webhook (`--alert-webhook-threshold`, `--alert-webhook`).
public struct TrendThresholds: Sendable, Equatable {
    public var warning: Int
    public var alert: Int

    public init(warning: Int = 100, alert: Int = 200) {
        self.warning = warning
        self.alert = alert
    }

    /// Checks a threshold given as `option` (such as `--alert-warn`): a count of signs an hour, at least 1.
    public static func checked(_ value: Int, option: String) throws -> Int {
        guard value >= 1 else { throw ServerError("\(option) takes a number of signs an hour, at least 1; not \(value)") }
        return value
    }
}
