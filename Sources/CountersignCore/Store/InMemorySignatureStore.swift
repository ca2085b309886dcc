import Foundation

/// A ``SignatureStore`` in memory, for tests and for trying things out: the rules in `Rules/` over dictionaries. An
/// actor makes each operation one atomic step.
public actor InMemorySignatureStore: SignatureStore {
    private struct SignerKey: Hashable {
        var slug: PetitionSlug
        var pseudonym: Pseudonym
    }

    private struct Pending {
        var slug: PetitionSlug
        /// `nil` once used: a used row keeps only its token id.
        var pseudonym: Pseudonym?
        var purpose: TokenPurpose
        var region: String?
        var expiresAt: Date
        var consumed: Bool
    }

    private var petitionsBySlug: [PetitionSlug: PetitionRecord] = [:]
    /// Each signature's day, region and count-log commitment.
    private var signatures: [SignerKey: (day: String, region: String?, commitment: ReceiptCommitment?)] = [:]
    private var pending: [TokenID: Pending] = [:]
    private var maintained: [PetitionSlug: Aggregates] = [:]
    private var audit: [String] = []
    private var tokens: [AccessToken] = []
    private var released: [PetitionSlug: [Release]] = [:]
    /// Per petition: the events of the open count epoch, the closed epochs' entries, and how many epochs closed.
    private var countPending: [PetitionSlug: [PendingCountEvent]] = [:]
    private var countLog: [PetitionSlug: [[UInt8]]] = [:]
    private var countEpochs: [PetitionSlug: Int] = [:]
    private let spentChallenges = SpentChallenges()

    public init() {}

    public func createPetition(_ petition: PetitionRecord) throws(StoreError) {
        guard petitionsBySlug[petition.slug] == nil else { throw .duplicatePetition(petition.slug) }
        petitionsBySlug[petition.slug] = petition
        maintained[petition.slug] = Aggregates()
    }

    public func petitions() -> [PetitionRecord] {
        petitionsBySlug.values.sorted { $0.slug.value < $1.slug.value }
    }

    public func petitionTotals() -> [PetitionTotal] {
        petitions().map { PetitionTotal(petition: $0, total: maintained[$0.slug]?.total ?? 0) }
    }

    public func petition(_ slug: PetitionSlug) -> PetitionRecord? {
        petitionsBySlug[slug]
    }

    public func admission(_ slug: PetitionSlug, region: String?) -> PetitionAdmission? {
        petitionsBySlug[slug].map { PetitionAdmission($0, region: region) }
    }

    public func setState(_ state: PetitionState, of slug: PetitionSlug, at date: Date) throws(StoreError) {
        var petition = try existing(slug)
        guard try petition.state.transition(to: state, of: slug) else { return }
        petition.state = state
        if state == .closed { petition.closedAt = PetitionRecord.wholeSeconds(date) }
        petitionsBySlug[slug] = petition
    }

    public func sign(_ request: PendingRequest) throws(StoreError) -> SignOutcome {
        let admitted = try PetitionAdmission(existing(request.slug), region: request.region).admit(request, for: .confirm)
        let signed = signatures[SignerKey(slug: request.slug, pseudonym: request.pseudonym)] != nil
        upsertPending(admitted, purpose: .confirm)
        return signed ? .alreadyConfirmed : .pending
    }

    public func confirm(
        tokenID: TokenID, at date: Date, commit: @escaping @Sendable (PetitionSlug) throws -> ReceiptCommitment
    ) throws(StoreError) -> ConfirmOutcome {
        let row = try row(tokenID, .confirm)
        switch try PendingConsumption(row, at: date) {
        case .refused(let refusal):
            return ConfirmOutcome(refusal)
        case .consume(let day, let region):
            guard let row else { return .unknownToken }
            let commitment = try StoreError.calling("the receipt commitment") { try commit(row.slug) }
            guard let signer = consume(tokenID), signatures[signer] == nil else { return .alreadyConfirmed }
            signatures[signer] = (day, region, commitment)
            maintained[signer.slug, default: Aggregates()].apply(.confirmation(day: day, region: region))
            countPending[signer.slug, default: []].append(PendingCountEvent(.confirm(commitment), hour: date))
            return .confirmed(slug: signer.slug, epoch: countEpochs[signer.slug] ?? 0)
        }
    }

    public func requestWithdrawal(_ request: PendingRequest) throws(StoreError) -> WithdrawalRequestOutcome {
        let admitted = try PetitionAdmission(existing(request.slug), region: request.region).admit(request, for: .withdraw)
        let signed = signatures[SignerKey(slug: request.slug, pseudonym: request.pseudonym)] != nil
        upsertPending(admitted, purpose: .withdraw)
        return signed ? .pending : .noSignature
    }

    public func withdraw(tokenID: TokenID, at date: Date) throws(StoreError) -> WithdrawOutcome {
        switch try PendingConsumption(row(tokenID, .withdraw), at: date) {
        case .refused(let refusal):
            return WithdrawOutcome(refusal)
        case .consume:
            guard let signer = consume(tokenID), let signature = signatures.removeValue(forKey: signer) else { return .alreadyWithdrawn }
            maintained[signer.slug, default: Aggregates()].apply(.withdrawal(day: signature.day, region: signature.region))
            if let commitment = signature.commitment {
                countPending[signer.slug, default: []].append(PendingCountEvent(.withdraw(commitment), hour: date))
            }
            return .withdrawn
        }
    }

    public func aggregates(_ slug: PetitionSlug) throws(StoreError) -> Aggregates {
        _ = try existing(slug)
        return maintained[slug] ?? Aggregates()
    }

    public func recount(_ slug: PetitionSlug) throws(StoreError) -> Recount {
        _ = try existing(slug)
        var counts = Aggregates()
        for (key, signature) in signatures where key.slug == slug {
            counts.apply(.confirmation(day: signature.day, region: signature.region))
        }
        return Recount(maintained: maintained[slug] ?? Aggregates(), recounted: counts)
    }

    public func purgeExpired(at date: Date) -> Int {
        let before = pending.count
        pending = pending.filter { $0.value.expiresAt > date }
        return before - pending.count
    }

    public func spend(_ spent: SpentChallenge, at date: Date) -> Bool {
        spentChallenges.spend(spent, at: date)
    }

    /// Memory keeps no copies of deleted rows.
    public func purgeDeletedCopies() {}

    public func shredPetitionKey(_ slug: PetitionSlug, at date: Date) throws(StoreError) {
        var petition = try existing(slug)
        if let shred = try KeyChangeAdmission(petition).admitShred(at: date) { countPending[slug, default: []].append(shred) }
        signatures = signatures.filter { $0.key.slug != slug }
        pending = pending.filter { $0.value.slug != slug }
        petition.wrappedKey = nil
        petition.keyLayers = []
        petition.keyShreddedAt = petition.keyShreddedAt ?? PetitionRecord.wholeSeconds(date)
        petitionsBySlug[slug] = petition
    }

    public func closeCountEpoch(_ slug: PetitionSlug, at now: Date, policy: CountEpochPolicy) throws(StoreError) -> ClosedCountEpoch? {
        let petition = try existing(slug)
        let pending = countPending[slug] ?? []
        let open = OpenCountEpoch(
            number: countEpochs[slug] ?? 0, pending: pending, countingUpTo: policy.minimumEvents,
            acceptingSignatures: petition.state.takes(.confirm))
        guard CountEpoch.decide(open, now: now, policy: policy) == .close else { return nil }
        let epoch = CountEpoch(number: open.number, pending: pending)
        let start = countLog[slug]?.count ?? 0
        countLog[slug, default: []].append(contentsOf: epoch.entries)
        countPending[slug] = []
        countEpochs[slug] = open.number + 1
        return ClosedCountEpoch(number: open.number, entries: start..<start + epoch.events.count)
    }

    public func countEntries(_ slug: PetitionSlug, _ range: Range<Int>) throws(StoreError) -> [[UInt8]] {
        _ = try existing(slug)
        let log = countLog[slug] ?? []
        return Array(log[min(range.lowerBound, log.count)..<min(range.upperBound, log.count)])
    }

    public func countEntryCount(_ slug: PetitionSlug) throws(StoreError) -> Int {
        _ = try existing(slug)
        return countLog[slug]?.count ?? 0
    }

    public func rewrapPetitionKeys(_ changes: [WrappedKeyChange]) -> [PetitionSlug] {
        changes.compactMap { change in
            guard var petition = petitionsBySlug[change.slug], let base = petition.wrappedKey,
                [base] + petition.keyLayers == change.from, let first = change.to.first
            else { return nil }
            petition.wrappedKey = first
            petition.keyLayers = Array(change.to.dropFirst())
            petitionsBySlug[change.slug] = petition
            return change.slug
        }
    }

    public func rekey(
        _ slug: PetitionSlug, after layers: Int, layer: WrappedPetitionKey, transform: @escaping @Sendable (Pseudonym) throws -> Pseudonym
    ) throws(StoreError) -> Int {
        var petition = try existing(slug)
        try KeyChangeAdmission(petition).admitRekey(after: layers)
        // Everything is computed before anything is replaced, so a failing transform changes nothing.
        var rekeyedSignatures = signatures.filter { $0.key.slug != slug }
        var rekeyedPending = pending
        var count = 0
        do {
            for (signer, signature) in signatures where signer.slug == slug {
                rekeyedSignatures[SignerKey(slug: slug, pseudonym: try transform(signer.pseudonym))] = signature
                count += 1
            }
            for (id, row) in pending where row.slug == slug {
                guard let pseudonym = row.pseudonym else { continue }
                rekeyedPending[id]?.pseudonym = try transform(pseudonym)
                count += 1
            }
        } catch {
            throw StoreError(.database, "re-keying petition \(slug) failed, nothing changed: \(error)")
        }
        signatures = rekeyedSignatures
        pending = rekeyedPending
        petition.keyLayers.append(layer)
        petitionsBySlug[slug] = petition
        return count
    }

    public func createAccessToken(_ token: AccessToken) {
        tokens.append(token)
    }

    public func accessToken(hash: [UInt8]) -> AccessToken? {
        tokens.first { $0.hash == hash }
    }

    public func accessTokens() -> [AccessToken] {
        tokens
    }

    public func revokeAccessToken(id: String, at date: Date) throws(StoreError) -> Bool {
        let matches = tokens.indices.filter { tokens[$0].id == id }
        guard try AccessTokenRevocation.admit(id: id, matches: matches.count), let index = matches.first else { return false }
        tokens[index].revokedAt = tokens[index].revokedAt ?? PetitionRecord.wholeSeconds(date)
        return true
    }

    public func recordRelease(_ release: Release, budgetMicros: Int64) throws(StoreError) {
        _ = try existing(release.slug)
        switch try PrivacyLedger.record(release, after: released[release.slug, default: []], budgetMicros: budgetMicros) {
        case .insert: released[release.slug, default: []].append(release)
        case .merge(let seq, let hidden): released[release.slug, default: []][seq].hidden = hidden
        }
    }

    public func releases(_ slug: PetitionSlug) -> [Release] {
        released[slug, default: []]
    }

    public func appendAuditEntries(
        derivedFrom derive: @escaping @Sendable ([String], [PetitionRecord]) throws -> [String]
    ) throws(StoreError) -> [String] {
        let entries: [String]
        do {
            entries = try derive(audit, petitions())
        } catch {
            throw StoreError(.database, "deriving audit entries failed, nothing was appended: \(error)")
        }
        audit += entries
        return entries
    }

    public func auditEntries(_ range: Range<Int>) -> [String] {
        Array(audit[range.clamped(to: audit.indices)])
    }

    public func auditEntryCount() -> Int {
        audit.count
    }

    private func existing(_ slug: PetitionSlug) throws(StoreError) -> PetitionRecord {
        guard let petition = petitionsBySlug[slug] else { throw .unknownPetition(slug) }
        return petition
    }

    private func row(_ tokenID: TokenID, _ purpose: TokenPurpose) throws(StoreError) -> PendingRow? {
        guard let row = pending[tokenID], row.purpose == purpose else { return nil }
        return PendingRow(
            slug: row.slug, state: try existing(row.slug).state, purpose: purpose, region: row.region,
            expiresAt: row.expiresAt, consumed: row.consumed)
    }

    /// Marks the row of `tokenID` used and forgets whose it was; returns its signer.
    private func consume(_ tokenID: TokenID) -> SignerKey? {
        guard let row = pending[tokenID], let pseudonym = row.pseudonym else { return nil }
        pending[tokenID] = Pending(slug: row.slug, pseudonym: nil, purpose: row.purpose, region: nil, expiresAt: row.expiresAt, consumed: true)
        return SignerKey(slug: row.slug, pseudonym: pseudonym)
    }

    private func upsertPending(_ request: PendingRequest, purpose: TokenPurpose) {
        pending = pending.filter { !($0.value.slug == request.slug && $0.value.pseudonym == request.pseudonym && $0.value.purpose == purpose) }
        pending[request.tokenID] = Pending(
            slug: request.slug, pseudonym: request.pseudonym, purpose: purpose, region: request.region, expiresAt: request.expiresAt, consumed: false)
    }
}
