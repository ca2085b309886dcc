/// The entries of the audit log, in order.
public protocol AuditLogStore: Sendable {
    /// Appends the entries that `derive` computes from the whole log so far and the petitions as they are, both read
    /// in one transaction holding the log's lock, so that two instances deriving the same entries at the same moment
    /// append them once, and none derives from a stale copy. Returns them.
    func appendAuditEntries(
        derivedFrom derive: @escaping @Sendable (_ entries: [String], _ petitions: [PetitionRecord]) throws -> [String]
    ) async throws(StoreError) -> [String]

    /// Audit-log entries with indexes in `range`.
    func auditEntries(_ range: Range<Int>) async throws(StoreError) -> [String]

    /// The number of audit-log entries.
    func auditEntryCount() async throws(StoreError) -> Int
}
