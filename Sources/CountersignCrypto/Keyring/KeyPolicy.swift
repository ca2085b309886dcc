/// Cryptoperiods: how long a key of each purpose stays primary before it must be rotated.
///
/// Defaults follow the ranges in NIST SP 800-57 Part 1 §5.3.6: a token key 90 days, the master
/// (key-wrapping) key 1 year, the log-signing key 2 years. `Keys/README.md` states the policy.
public struct KeyPolicy: Sendable, Equatable {
    /// Cryptoperiod of each purpose, in seconds.
    public var cryptoperiods: [KeyPurpose: Int64]

    public init(cryptoperiods: [KeyPurpose: Int64]) {
        self.cryptoperiods = cryptoperiods
    }

    public static let day: Int64 = 86_400

    public static let `default` = KeyPolicy(cryptoperiods: [
        .token: 90 * day,
        .master: 365 * day,
        .log: 730 * day,
    ])

    /// The cryptoperiod of `purpose`, in seconds.
    public func cryptoperiod(of purpose: KeyPurpose) -> Int64 {
        cryptoperiods[purpose] ?? Self.default.cryptoperiods[purpose] ?? 90 * Self.day
    }
}
