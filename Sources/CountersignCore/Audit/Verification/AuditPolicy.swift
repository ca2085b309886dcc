import Foundation

/// What the auditor decides rather than the log: their clock, the windows they allow, and the witnesses they require
/// (`countersign audit verify`'s options).
public struct AuditPolicy: Sendable {
    /// The auditor's clock: no entry may be dated later, and a key past its not-after day must have been rotated.
    public var today: Date
    /// How long a confirmation token stays valid. A token key may be destroyed only that long after its rotation,
    /// rounded up to whole days, plus one day (entries are dated to the day), because tokens it signed can be presented
    /// until then.
    public var tokenLifetime: Duration
    /// Days a shred may take to destroy every master key that could have wrapped the petition's key (`--shred-days`):
    /// within them `shred-complete` says PENDING, after them it fails.
    public var shredDays: Int
    /// The witnesses whose cosignatures count (`--witness`).
    public var witnesses: [WitnessVerifier]
    /// How many of ``witnesses`` must have cosigned the checkpoint (`--witnesses-required`; by default all of them).
    public var witnessesRequired: Int
    /// How old the newest cosignature, the checkpoint's time, may be (`--max-age`, 1 day by default).
    public var maxAge: Duration

    public static let defaultShredDays = 7
    public static let defaultMaxAge = Duration.seconds(86_400)

    public init(
        today: Date, tokenLifetime: Duration = Token.defaultLifetime, shredDays: Int = defaultShredDays, witnesses: [WitnessVerifier] = [],
        witnessesRequired: Int? = nil, maxAge: Duration = defaultMaxAge
    ) {
        self.today = today
        self.tokenLifetime = tokenLifetime
        self.shredDays = shredDays
        self.witnesses = witnesses
        self.witnessesRequired = witnessesRequired ?? witnesses.count
        self.maxAge = maxAge
    }

    /// Reads an age such as `1d`, `12h`, `30m`, `90s` or `3600` (seconds), as `--max-age` takes it.
    public static func age(parsing text: String) -> Duration? {
        let units: [Character: Int64] = ["d": 86_400, "h": 3_600, "m": 60, "s": 1]
        let (digits, unit) = text.last.flatMap { units[$0] }.map { (text.dropLast(), $0) } ?? (Substring(text), 1)
        guard let count = Int64(digits), count >= 0, count <= Int64.max / unit else { return nil }
        return .seconds(count * unit)
    }
}
