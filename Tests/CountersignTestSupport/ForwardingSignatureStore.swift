import CountersignCore
import Foundation

/// A store for tests that forwards every requirement to an ``InMemorySignatureStore``; a test store conforms, keeps
/// `inner`, and implements only the requirements it watches or delays.
public protocol ForwardingSignatureStore: SignatureStore {
    var inner: InMemorySignatureStore { get }
}

extension ForwardingSignatureStore {
    public func createPetition(_ petition: PetitionRecord) async throws(StoreError) { try await inner.createPetition(petition) }
    public func petitions() async throws(StoreError) -> [PetitionRecord] { await inner.petitions() }
    public func petitionTotals() async throws(StoreError) -> [PetitionTotal] { await inner.petitionTotals() }
    public func petition(_ slug: PetitionSlug) async throws(StoreError) -> PetitionRecord? { await inner.petition(slug) }
    public func admission(_ slug: PetitionSlug, region: String?) async throws(StoreError) -> PetitionAdmission? {
        await inner.admission(slug, region: region)
    }
    public func setState(_ state: PetitionState, of slug: PetitionSlug, at date: Date) async throws(StoreError) {
        try await inner.setState(state, of: slug, at: date)
    }
    public func sign(_ request: PendingRequest) async throws(StoreError) -> SignOutcome { try await inner.sign(request) }
    public func confirm(
        tokenID: TokenID, at date: Date, commit: @escaping @Sendable (PetitionSlug) throws -> ReceiptCommitment
    ) async throws(StoreError) -> ConfirmOutcome {
        try await inner.confirm(tokenID: tokenID, at: date, commit: commit)
    }
    public func requestWithdrawal(_ request: PendingRequest) async throws(StoreError) -> WithdrawalRequestOutcome {
        try await inner.requestWithdrawal(request)
    }
    public func withdraw(tokenID: TokenID, at date: Date) async throws(StoreError) -> WithdrawOutcome {
        try await inner.withdraw(tokenID: tokenID, at: date)
    }
    public func aggregates(_ slug: PetitionSlug) async throws(StoreError) -> Aggregates { try await inner.aggregates(slug) }
    public func recount(_ slug: PetitionSlug) async throws(StoreError) -> Recount { try await inner.recount(slug) }
    public func purgeExpired(at date: Date) async throws(StoreError) -> Int { await inner.purgeExpired(at: date) }
    public func shredPetitionKey(_ slug: PetitionSlug, at date: Date) async throws(StoreError) { try await inner.shredPetitionKey(slug, at: date) }
    public func purgeDeletedCopies() async throws(StoreError) { try await inner.purgeDeletedCopies() }
    public func rewrapPetitionKeys(_ changes: [WrappedKeyChange]) async throws(StoreError) -> [PetitionSlug] {
        await inner.rewrapPetitionKeys(changes)
    }
    public func rekey(
        _ slug: PetitionSlug, after layers: Int, layer: WrappedPetitionKey, transform: @escaping @Sendable (Pseudonym) throws -> Pseudonym
    ) async throws(StoreError) -> Int {
        try await inner.rekey(slug, after: layers, layer: layer, transform: transform)
    }
    public func createAccessToken(_ token: AccessToken) async throws(StoreError) { await inner.createAccessToken(token) }
    public func accessToken(hash: [UInt8]) async throws(StoreError) -> AccessToken? { await inner.accessToken(hash: hash) }
    public func accessTokens() async throws(StoreError) -> [AccessToken] { await inner.accessTokens() }
    public func revokeAccessToken(id: String, at date: Date) async throws(StoreError) -> Bool { try await inner.revokeAccessToken(id: id, at: date) }
    public func recordRelease(_ release: Release, budgetMicros: Int64) async throws(StoreError) {
        try await inner.recordRelease(release, budgetMicros: budgetMicros)
    }
    public func releases(_ slug: PetitionSlug) async throws(StoreError) -> [Release] { await inner.releases(slug) }
    public func appendAuditEntries(
        derivedFrom derive: @escaping @Sendable ([String], [PetitionRecord]) throws -> [String]
    ) async throws(StoreError) -> [String] {
        try await inner.appendAuditEntries(derivedFrom: derive)
    }
    public func auditEntries(_ range: Range<Int>) async throws(StoreError) -> [String] { await inner.auditEntries(range) }
    public func auditEntryCount() async throws(StoreError) -> Int { await inner.auditEntryCount() }
    public func closeCountEpoch(_ slug: PetitionSlug, at now: Date, policy: CountEpochPolicy) async throws(StoreError) -> ClosedCountEpoch? {
        try await inner.closeCountEpoch(slug, at: now, policy: policy)
    }
    public func countEntries(_ slug: PetitionSlug, _ range: Range<Int>) async throws(StoreError) -> [[UInt8]] {
        try await inner.countEntries(slug, range)
    }
    public func countEntryCount(_ slug: PetitionSlug) async throws(StoreError) -> Int { try await inner.countEntryCount(slug) }
    public func spend(_ spent: SpentChallenge, at date: Date) async throws(StoreError) -> Bool { await inner.spend(spent, at: date) }
}
