import CountersignCrypto
import Foundation

/// What a `petition-shredded` entry obliges the operator to do: destroy every master key that could have wrapped the
/// petition's key, so that no copy of the wrapped key (in a backup, a PostgreSQL dead tuple or WAL, an old SQLite
/// `-wal` frame) can be opened again.
///
/// Those are the master keys the log introduced before the shred entry: the petition's key was wrapped under one of
/// them, and re-wrapped only under later ones. `petition shred` rotates the master key, re-wraps every other petition,
/// then destroys them (or leaves that to `serve` with `--defer-destroy`); the audit check `shred-complete` reads the
/// same obligations from the log.
public struct ShredObligation: Sendable, Equatable {
    /// The shredded petition's slug.
    public let slug: String
    /// The index of the `petition-shredded` entry.
    public let entry: Int
    /// The day the entry is dated.
    public let date: Date
    /// The master keys (8-hex-digit kids) introduced before the entry, in log order.
    public let masters: [String]
    /// Those of ``masters`` the log has not destroyed yet.
    public let outstanding: [String]

    /// The obligations of every `petition-shredded` entry in `events` (entry `i` of the log is `events[i]`).
    public static func all(in events: [AuditEvent?]) -> [ShredObligation] {
        let destroyed = Set(events.compactMap { event in
            event?.kind == .keyDestroyed && event?["purpose"] == KeyPurpose.master.rawValue ? event?["kid"] : nil
        })
        var masters: [String] = []
        var obligations: [ShredObligation] = []
        for (index, event) in events.enumerated() {
            guard let event else { continue }
            if event.kind == .keyCreated || event.kind == .keyRotated, event["purpose"] == KeyPurpose.master.rawValue, let kid = event["kid"] {
                masters.append(kid)
            } else if event.kind == .petitionShredded, let slug = event["slug"] {
                obligations.append(ShredObligation(
                    slug: slug, entry: index, date: event.date, masters: masters, outstanding: masters.filter { !destroyed.contains($0) }))
            }
        }
        return obligations
    }

    /// The master keys some shred still needs destroyed, in log order, each once.
    public static func outstandingMasters(in events: [AuditEvent?]) -> [String] {
        var seen = Set<String>()
        return all(in: events).flatMap(\.outstanding).filter { seen.insert($0).inserted }
    }
}
