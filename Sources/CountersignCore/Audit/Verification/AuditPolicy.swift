import Foundation

/// What the auditor decides rather than the log: their clock and the windows they allow (`countersign audit verify`'s
/// options).
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

    public static let defaultShredDays = 7

    public init(today: Date, tokenLifetime: Duration = Token.defaultLifetime, shredDays: Int = defaultShredDays) {
        self.today = today
        self.tokenLifetime = tokenLifetime
        self.shredDays = shredDays
    }
}
