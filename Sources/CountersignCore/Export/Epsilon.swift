/// The privacy parameter ε of an export's differential-privacy noise, held exactly as a fraction.
///
/// Written as a decimal: digits, then optionally a point and 1 to 6 more digits (`0.5`, `1`, `2.25`); positive and
/// at most 100. Keeping the exact fraction lets ``DiscreteLaplace`` sample with integers only.
public struct Epsilon: Sendable, Hashable, CustomStringConvertible {
    /// The largest ε accepted; noise at that level is already negligible for counts.
    public static let maximum = 100
    /// The most decimal places accepted.
    public static let maximumDecimalPlaces = 6

    /// The default total ε a petition may spend on noisy releases (``PrivacyLedger``).
    public static let defaultBudget: Epsilon = {
        guard let five = try? Epsilon("5") else { preconditionFailure("5 is a valid epsilon") }
        return five
    }()

    /// ε in millionths, which is exact for every accepted value.
    public let micros: Int

    /// ε parsed from decimal `text`, such as `0.5`, `1` or `2.25`.
    public init(_ text: String) throws(ExportError) {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = parts[0]
        let fraction = parts.count == 2 ? parts[1] : ""
        guard !whole.isEmpty, parts.count == 1 || !fraction.isEmpty, fraction.count <= Self.maximumDecimalPlaces,
            (whole + fraction).utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
        else { throw .invalidEpsilon }

        let scale = 1_000_000
        var wholeValue = 0
        for digit in whole.utf8 {
            wholeValue = wholeValue * 10 + Int(digit - UInt8(ascii: "0"))
            guard wholeValue <= Self.maximum else { throw .invalidEpsilon }
        }
        let padded = fraction + String(repeating: "0", count: Self.maximumDecimalPlaces - fraction.count)
        let fractionValue = padded.utf8.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        let micros = wholeValue * scale + fractionValue
        guard micros > 0, micros <= Self.maximum * scale else { throw .invalidEpsilon }
        self.micros = micros
    }

    /// The numerator of ε in lowest terms.
    public var numerator: Int { micros / Self.gcd(micros, 1_000_000) }
    /// The denominator of ε in lowest terms; a divisor of 1,000,000.
    public var denominator: Int { 1_000_000 / Self.gcd(micros, 1_000_000) }
    /// ε as a floating-point number, for display and statistics only.
    public var value: Double { Double(micros) / 1_000_000 }

    /// The decimal with no leading zeros before the point and no trailing zeros after it: `0.50` prints `0.5`.
    public var description: String { Self.decimal(micros: Int64(micros)) }

    /// Millionths written as a decimal the same way (`2500000` → `2.5`), also for budgets and sums of ε.
    public static func decimal(micros: Int64) -> String {
        let whole = micros / 1_000_000
        let fraction = micros % 1_000_000
        guard fraction > 0 else { return String(whole) }
        let digits = String(fraction)
        var places = String(repeating: "0", count: Self.maximumDecimalPlaces - digits.count) + digits
        while places.last == "0" { places.removeLast() }
        return "\(whole).\(places)"
    }

    private static func gcd(_ a: Int, _ b: Int) -> Int {
        b == 0 ? a : gcd(b, a % b)
    }
}
