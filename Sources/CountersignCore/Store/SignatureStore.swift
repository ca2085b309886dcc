import Foundation

/// Where Countersign keeps petitions, pseudonymous signatures, pending confirmations, aggregates and the
/// audit log. Each operation is one whole use-case transaction: it commits completely or changes nothing.
///
/// Implementations: ``InMemorySignatureStore`` (tests), and in `CountersignStorage` the SQLite store (the
/// embedded default) and the PostgreSQL store (several instances sharing one database). One contract suite
/// (`Tests/CountersignStorageTests`) runs against all three.
///
/// Invariants every implementation keeps:
/// - at most one signature per (petition, pseudonym), enforced by a uniqueness constraint;
/// - the aggregates change in the same transaction as the signature rows, so ``recount(_:)`` always finds
///   them consistent (until the key is shredded, after which the aggregates are frozen and the rows gone);
/// - a token id is consumed at most once, even under concurrent confirms;
/// - a signature keeps its UTC day only, never a time.
public protocol SignatureStore: Sendable {
    /// Adds a petition; refuses a slug that exists.
    func createPetition(_ petition: PetitionRecord) async throws(StoreError)

    /// Every petition, in slug order.
    func petitions() async throws(StoreError) -> [PetitionRecord]

    /// The petition `slug`, or `nil`.
    func petition(_ slug: PetitionSlug) async throws(StoreError) -> PetitionRecord?

    /// Opens, pauses or closes a petition. A closed petition cannot reopen.
    func setState(_ state: PetitionState, of slug: PetitionSlug, at date: Date) async throws(StoreError)

    /// Records a pending confirmation (an upsert: a newer link replaces an older one for the same signer) and
    /// says whether the pseudonym has signed already. The write happens in both cases, so that the two cost the
    /// same and a response time does not tell them apart; confirming the pending row of a signer who has
    /// signed answers already-confirmed. Refuses a petition that is not open, a region it does not list, and a
    /// pseudonym computed with another number of re-keying layers than the petition has now.
    func sign(_ request: PendingRequest) async throws(StoreError) -> SignOutcome

    /// Consumes a confirmation token id: marks the signature confirmed on `date`'s UTC day and adds it to
    /// the aggregates. A second use of the same id answers ``ConfirmOutcome/alreadyConfirmed``.
    func confirm(tokenID: TokenID, at date: Date) async throws(StoreError) -> ConfirmOutcome

    /// Records a pending withdrawal for a pseudonym with a confirmed signature.
    func requestWithdrawal(_ request: PendingRequest) async throws(StoreError) -> WithdrawalRequestOutcome

    /// Consumes a withdrawal token id: deletes the signature and subtracts it from the aggregates.
    func withdraw(tokenID: TokenID, at date: Date) async throws(StoreError) -> WithdrawOutcome

    /// The maintained aggregates of a petition.
    func aggregates(_ slug: PetitionSlug) async throws(StoreError) -> Aggregates

    /// The maintained aggregates and a recount from the signature rows, read from one snapshot, for
    /// `countersign store check`.
    func recount(_ slug: PetitionSlug) async throws(StoreError) -> Recount

    /// Deletes pending confirmations and withdrawals that expired at or before `date`; returns how many.
    func purgeExpired(at date: Date) async throws(StoreError) -> Int

    /// Crypto-shredding: for a closed petition, deletes the wrapped key, every pseudonym (signatures and
    /// pending rows) and keeps the aggregates.
    func shredPetitionKey(_ slug: PetitionSlug, at date: Date) async throws(StoreError)

    /// Replaces wrapped petition keys (master rotation), all in one transaction: each petition whose wrapped
    /// key and layers are still `from` gets `to`; a petition changed meanwhile is left alone. Returns the petitions changed.
    func rewrapPetitionKeys(_ changes: [WrappedKeyChange]) async throws(StoreError) -> [PetitionSlug]

    /// Emergency re-keying, in one transaction: appends `layer` to the petition's key layers and replaces
    /// every stored pseudonym `P` of the petition (signatures and pending rows) with `transform(P)`.
    /// Refuses with ``StoreError/Code/rekeyed`` unless the petition has exactly `layers` layers before (a re-key
    /// running at the same time got there first). Returns how many pseudonyms changed.
    func rekey(
        _ slug: PetitionSlug, after layers: Int, layer: WrappedPetitionKey, transform: @escaping @Sendable (Pseudonym) throws -> Pseudonym
    ) async throws(StoreError) -> Int

    /// Stores an organizer or auditor token (its hash only).
    func createAccessToken(_ token: AccessToken) async throws(StoreError)

    /// The token whose text hashes to `hash`, revoked or not.
    func accessToken(hash: [UInt8]) async throws(StoreError) -> AccessToken?

    /// Every token, oldest first.
    func accessTokens() async throws(StoreError) -> [AccessToken]

    /// Revokes the token with public id `id`; returns whether one was found. Refuses an id that two tokens share
    /// (``StoreError/Code/invalidTransition``), since revoking both would cut off someone else.
    func revokeAccessToken(id: String, at date: Date) async throws(StoreError) -> Bool

    /// Records a release after checking it with ``PrivacyLedger/admit(_:after:budgetMicros:)`` in the same
    /// transaction, so two concurrent releases cannot both spend the last of a budget. An exact release of a
    /// breakdown already released exactly that UTC day is merged into that row (``Release/merges(_:)``), its
    /// hidden keys added.
    func recordRelease(_ release: Release, budgetMicros: Int64) async throws(StoreError)

    /// The releases of a petition, oldest first.
    func releases(_ slug: PetitionSlug) async throws(StoreError) -> [Release]

    /// Appends an entry to the audit log and returns its index (0-based).
    func appendAuditEntry(_ entry: String) async throws(StoreError) -> Int

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
