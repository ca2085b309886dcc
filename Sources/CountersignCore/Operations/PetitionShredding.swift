import Foundation

/// `countersign petition shred SLUG`: destroys a closed petition's key and every pseudonym once the retention
/// period after closing has passed. The aggregates stay, so the final count and the exports survive.
public enum PetitionShredding {
    /// The default retention after close: 30 days, time for a recount or a dispute.
    public static let defaultRetention: TimeInterval = 30 * 86_400

    /// Shreds `slug`, or throws what stops it (not closed, retention not over).
    public static func run(_ slug: PetitionSlug, retention: TimeInterval = defaultRetention, log: AuditLog, now: Date) async throws {
        guard let petition = try await log.store.petition(slug) else { throw StoreError.unknownPetition(slug) }
        guard petition.keyShreddedAt == nil else { return }
        try KeyChangeAdmission(petition).admitShred()
        guard let closed = petition.closedAt else { throw StoreError.shredBeforeClose(slug, petition.state) }
        let due = closed.addingTimeInterval(retention)
        guard now >= due else { throw StoreError.retentionNotOver(slug, closed: closed, due: due) }
        try await log.store.shredPetitionKey(slug, at: now)
        try await PetitionEvents.record(in: log.store, now: now)
    }
}
