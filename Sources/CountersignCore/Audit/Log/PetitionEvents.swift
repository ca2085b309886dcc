import Foundation

/// Brings the audit log up to date with the petitions in the store: a petition the log has never named gets its
/// `petition-open` (creation), a state the log does not show last gets its `petition-paused|open|closed`, a shred
/// its `petition-shredded`, a re-key its `petition-rekeyed`.
///
/// Every command that changes a petition runs this right after its store transaction, and `serve` runs it at start
/// and every minute, so a change whose process died before logging it is still logged (dated when it is logged).
/// Like ``KeyEvents``, the comparison and the append are one store transaction under the log's lock.
public enum PetitionEvents {
    /// Appends the missing petition events; returns them.
    @discardableResult
    public static func record(in store: any SignatureStore, now: Date) async throws -> [AuditEvent] {
        let appended = try await store.appendAuditEntries { existing, petitions in
            missing(from: existing.compactMap(AuditEvent.init(text:)), petitions: petitions, now: AuditEvent.date(now, after: existing)).map(\.text)
        }
        return appended.compactMap(AuditEvent.init(text:))
    }

    /// The events `logged` lacks for `petitions`.
    static func missing(from logged: [AuditEvent], petitions: [PetitionRecord], now: Date) -> [AuditEvent] {
        // Only petition events carry a slug.
        let bySlug = Dictionary(grouping: logged.filter { $0["slug"] != nil }) { $0["slug"] ?? "" }
        var events: [AuditEvent] = []
        for petition in petitions {
            let mine = bySlug[petition.slug.value] ?? []
            let states = mine.compactMap { $0.kind?.petitionState }
            if states.isEmpty {
                events.append(.petition(petition.slug, state: .open, date: now))
            }
            if (states.last ?? .open) != petition.state {
                events.append(.petition(petition.slug, state: petition.state, date: now))
            }
            if petition.keyShreddedAt != nil, !mine.contains(where: { $0.kind == .petitionShredded }) {
                events.append(.petitionShredded(petition.slug, date: now))
            }
            let layersLogged = mine.filter { $0.kind == .petitionRekeyed }.compactMap { $0["layers"].flatMap(Int.init) }.max() ?? 0
            if petition.keyLayers.count > layersLogged {
                events.append(.petitionRekeyed(petition.slug, layers: petition.keyLayers.count, date: now))
            }
        }
        return events
    }
}
