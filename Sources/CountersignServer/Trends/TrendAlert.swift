import Foundation

/// The JSON body POSTed to `--alert-webhook` when a network or an email domain reaches the alert threshold; the one
/// place its format is written (`Docs/operations.md` shows an example). Keys are sorted:
///
///     {"at":"2026-12-01T03:04:00Z","kind":"network","network":"5f0c…","signs":200,"threshold":200,
///      "type":"countersign.trend-alert","window":3600}
///
/// `kind` is `network` or `domain`. A network alert names the network by its opaque daily id (`network`, 32 hex
/// digits); a domain alert names the domain, which is reported only once at least 10 distinct signers of one petition
/// signed from it (``TrendCounter``). `signs` are the signs in the last `window` seconds, `at` is the minute. No
/// address, canonical address or IP is ever part of it, not even the service's own: a deployment is told apart by the
/// webhook URL it was given.
struct TrendAlert: Encodable, Sendable {
    let crossing: TrendCounter.Crossing
    let at: Date

    private enum CodingKeys: String, CodingKey {
        case type, kind, network, domain, signs, threshold, window, at
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode("countersign.trend-alert", forKey: .type)
        try container.encode(crossing.kind.rawValue, forKey: .kind)
        try container.encode(crossing.name, forKey: crossing.kind == .network ? .network : .domain)
        try container.encode(crossing.signs, forKey: .signs)
        try container.encode(crossing.threshold, forKey: .threshold)
        try container.encode(Int(TrendCounter.hour), forKey: .window)
        try container.encode(Self.minute(at), forKey: .at)
    }

    /// The JSON bytes, keys sorted.
    func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// ISO 8601 in UTC, to the minute (seconds are always `00`).
    private static func minute(_ date: Date) -> String {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 / 60).rounded(.down) * 60).formatted(Date.ISO8601FormatStyle())
    }
}
