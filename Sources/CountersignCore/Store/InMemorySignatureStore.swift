import Foundation

/// A ``SignatureStore`` in memory, for tests and for trying things out. It keeps the same contract as the
/// database stores; an actor makes each operation one atomic step.
public actor InMemorySignatureStore: SignatureStore {
    private struct Signature {
        var day: String
        var region: String?
    }

    private struct Pending {
        var slug: PetitionSlug
        var pseudonym: Pseudonym
        var purpose: TokenPurpose
        var region: String?
        var expiresAt: Date
        var consumed: Bool
    }

    private struct SignerKey: Hashable {
        var slug: PetitionSlug
        var pseudonym: Pseudonym
    }

    private var petitionsBySlug: [PetitionSlug: PetitionRecord] = [:]
    private var signatures: [SignerKey: Signature] = [:]
    private var pending: [TokenID: Pending] = [:]
    private var maintained: [PetitionSlug: Aggregates] = [:]
    private var audit: [String] = []
    private var tokens: [AccessToken] = []
    private var released: [Release] = []

    public init() {}

    public func createPetition(_ petition: PetitionRecord) throws(StoreError) {
        guard petitionsBySlug[petition.slug] == nil else {
            throw StoreError(.duplicatePetition, "a petition with the slug \(petition.slug) exists already")
        }
        petitionsBySlug[petition.slug] = petition
        maintained[petition.slug] = Aggregates()
    }

    public func petitions() -> [PetitionRecord] {
        petitionsBySlug.values.sorted { $0.slug.value < $1.slug.value }
    }

    public func petition(_ slug: PetitionSlug) -> PetitionRecord? {
        petitionsBySlug[slug]
    }

    public func setState(_ state: PetitionState, of slug: PetitionSlug, at date: Date) throws(StoreError) {
        var petition = try existing(slug)
        guard petition.state != state else { return }
        guard petition.state != .closed else {
            throw StoreError(.invalidTransition, "petition \(slug) is closed; a closed petition cannot be \(state.rawValue)")
        }
        petition.state = state
        if state == .closed { petition.closedAt = PetitionRecord.wholeSeconds(date) }
        petitionsBySlug[slug] = petition
    }

    public func sign(_ request: PendingRequest) throws(StoreError) -> SignOutcome {
        let petition = try existing(request.slug)
        guard petition.state == .open else { throw .notOpen(request.slug, petition.state) }
        guard petition.keyLayers.count == request.keyLayers else { throw .rekeyed(request.slug) }
        if let region = request.region, !petition.regions.contains(region) {
            throw StoreError(.invalidRegion, "the region is not one of petition \(request.slug)'s regions")
        }
        let signed = signatures[SignerKey(slug: request.slug, pseudonym: request.pseudonym)] != nil
        upsertPending(request, purpose: .confirm)
        return signed ? .alreadyConfirmed : .pending
    }

    public func confirm(tokenID: TokenID, at date: Date) throws(StoreError) -> ConfirmOutcome {
        guard var row = pending[tokenID], row.purpose == .confirm else { return .unknownToken }
        let petition = try existing(row.slug)
        guard petition.state == .open else { throw .notOpen(row.slug, petition.state) }
        if row.consumed { return .alreadyConfirmed }
        guard row.expiresAt > date else { return .expired }
        row.consumed = true
        pending[tokenID] = row
        let key = SignerKey(slug: row.slug, pseudonym: row.pseudonym)
        guard signatures[key] == nil else { return .alreadyConfirmed }
        let signature = Signature(day: UTCDay.of(date), region: row.region)
        signatures[key] = signature
        maintained[row.slug, default: Aggregates()].apply(day: signature.day, region: signature.region, delta: 1)
        return .confirmed
    }

    public func requestWithdrawal(_ request: PendingRequest) throws(StoreError) -> WithdrawalRequestOutcome {
        let petition = try existing(request.slug)
        guard petition.state != .closed else { throw .notOpen(request.slug, petition.state) }
        guard petition.keyLayers.count == request.keyLayers else { throw .rekeyed(request.slug) }
        guard signatures[SignerKey(slug: request.slug, pseudonym: request.pseudonym)] != nil else { return .noSignature }
        upsertPending(PendingRequest(slug: request.slug, pseudonym: request.pseudonym, tokenID: request.tokenID, expiresAt: request.expiresAt), purpose: .withdraw)
        return .pending
    }

    public func withdraw(tokenID: TokenID, at date: Date) throws(StoreError) -> WithdrawOutcome {
        guard var row = pending[tokenID], row.purpose == .withdraw else { return .unknownToken }
        let petition = try existing(row.slug)
        guard petition.state != .closed else { throw .notOpen(row.slug, petition.state) }
        if row.consumed { return .alreadyWithdrawn }
        guard row.expiresAt > date else { return .expired }
        row.consumed = true
        pending[tokenID] = row
        guard let signature = signatures.removeValue(forKey: SignerKey(slug: row.slug, pseudonym: row.pseudonym)) else {
            return .alreadyWithdrawn
        }
        maintained[row.slug, default: Aggregates()].apply(day: signature.day, region: signature.region, delta: -1)
        return .withdrawn
    }

    public func aggregates(_ slug: PetitionSlug) throws(StoreError) -> Aggregates {
        _ = try existing(slug)
        return maintained[slug] ?? Aggregates()
    }

    public func recount(_ slug: PetitionSlug) throws(StoreError) -> Recount {
        _ = try existing(slug)
        var counts = Aggregates()
        for (key, signature) in signatures where key.slug == slug {
            counts.apply(day: signature.day, region: signature.region, delta: 1)
        }
        return Recount(maintained: maintained[slug] ?? Aggregates(), recounted: counts)
    }

    public func purgeExpired(at date: Date) -> Int {
        let expired = pending.filter { $0.value.expiresAt <= date }.keys
        expired.forEach { pending[$0] = nil }
        return expired.count
    }

    public func shredPetitionKey(_ slug: PetitionSlug, at date: Date) throws(StoreError) {
        var petition = try existing(slug)
        guard petition.state == .closed else {
            throw StoreError(.invalidTransition, "petition \(slug) is \(petition.state.rawValue); close it before shredding its key")
        }
        guard petition.keyShreddedAt == nil else { return }
        signatures = signatures.filter { $0.key.slug != slug }
        pending = pending.filter { $0.value.slug != slug }
        petition.wrappedKey = nil
        petition.keyLayers = []
        petition.keyShreddedAt = PetitionRecord.wholeSeconds(date)
        petitionsBySlug[slug] = petition
    }

    public func rewrapPetitionKeys(_ changes: [WrappedKeyChange]) -> [PetitionSlug] {
        var changed: [PetitionSlug] = []
        for change in changes {
            guard var petition = petitionsBySlug[change.slug], let base = petition.wrappedKey,
                [base] + petition.keyLayers == change.from, let first = change.to.first
            else { continue }
            petition.wrappedKey = first
            petition.keyLayers = Array(change.to.dropFirst())
            petitionsBySlug[change.slug] = petition
            changed.append(change.slug)
        }
        return changed
    }

    public func rekey(
        _ slug: PetitionSlug, after layers: Int, layer: WrappedPetitionKey, transform: @escaping @Sendable (Pseudonym) throws -> Pseudonym
    ) throws(StoreError) -> Int {
        var petition = try existing(slug)
        guard petition.wrappedKey != nil else {
            throw StoreError(.invalidTransition, "petition \(slug)'s key was shredded; there are no pseudonyms to re-key")
        }
        guard petition.keyLayers.count == layers else { throw .rekeyed(slug) }
        do {
            var rekeyedSignatures: [SignerKey: Signature] = [:]
            var count = 0
            for (key, signature) in signatures {
                guard key.slug == slug else {
                    rekeyedSignatures[key] = signature
                    continue
                }
                rekeyedSignatures[SignerKey(slug: slug, pseudonym: try transform(key.pseudonym))] = signature
                count += 1
            }
            var rekeyedPending = pending
            for (id, row) in pending where row.slug == slug {
                rekeyedPending[id]?.pseudonym = try transform(row.pseudonym)
                count += 1
            }
            signatures = rekeyedSignatures
            pending = rekeyedPending
            petition.keyLayers.append(layer)
            petitionsBySlug[slug] = petition
            return count
        } catch {
            throw StoreError(.database, "re-keying petition \(slug) failed, nothing changed: \(error)")
        }
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
        guard matches.count <= 1 else { throw .ambiguousTokenID(id) }
        guard let index = matches.first else { return false }
        if tokens[index].revokedAt == nil { tokens[index].revokedAt = PetitionRecord.wholeSeconds(date) }
        return true
    }

    public func recordRelease(_ release: Release, budgetMicros: Int64) throws(StoreError) {
        _ = try existing(release.slug)
        try PrivacyLedger.admit(release, after: released.filter { $0.slug == release.slug }, budgetMicros: budgetMicros)
        if let index = released.firstIndex(where: { $0.slug == release.slug && $0.merges(release) }) {
            released[index].hidden = Array(Set(released[index].hidden + release.hidden)).sorted()
        } else {
            released.append(release)
        }
    }

    public func releases(_ slug: PetitionSlug) -> [Release] {
        released.filter { $0.slug == slug }
    }

    public func appendAuditEntry(_ entry: String) -> Int {
        audit.append(entry)
        return audit.count - 1
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

    private func upsertPending(_ request: PendingRequest, purpose: TokenPurpose) {
        pending = pending.filter { !($0.value.slug == request.slug && $0.value.pseudonym == request.pseudonym && $0.value.purpose == purpose) }
        pending[request.tokenID] = Pending(
            slug: request.slug, pseudonym: request.pseudonym, purpose: purpose, region: request.region,
            expiresAt: request.expiresAt, consumed: false)
    }
}
