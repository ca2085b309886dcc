import CountersignCrypto
import Foundation
import Synchronization

/// The signer's flows: sign, confirm, ask to withdraw, withdraw. It turns an address into a pseudonym,
/// drives the store, and returns the mail to send; it keeps no address.
///
/// A sign or withdrawal request comes in two parts: ``prepareSign(slug:email:region:)`` or
/// ``prepareWithdrawal(slug:email:)`` checks what does not depend on the signer's state, and the caller answers after
/// it; ``complete(_:)`` then does the same work whatever the state (one HMAC, the mail cap, one store transaction with
/// the same reads and writes) and returns exactly one mail, whose kind depends on the state, or none for every state
/// once the address reached its daily ``MailCap``.
public final class SigningService: Sendable {
    public let store: any SignatureStore
    /// How long a mailed link works.
    public let tokenLifetime: Duration
    /// The keyring and the authorities built from its token key; ``useKeyring(_:)`` swaps them after a rotation.
    private let keys: Mutex<(keyring: Keyring, tokens: TokenAuthority, proofOfWork: ProofOfWorkAuthority)>
    private let mailCap: MailCap
    private let now: @Sendable () -> Date
    /// The operator's kill switch (`serve --pause-collection`): no new signatures on any petition.
    private let collectionPaused: Bool
    /// Sees each sign request's domain and pseudonym (the trend counts).
    private let observer: (any SignObserver)?
    /// One keyed HMAC context per petition, built on first use from the unwrapped petition key and layers. A
    /// re-key or a shred changes the stored record, which the next use notices.
    private let generators = Mutex<[PetitionSlug: PseudonymGenerator]>([:])
    /// Petitions as last read whole (title, salt, wrapped keys). A request does not read the whole row: it reads the
    /// petition's admission (``PetitionStore/admission(_:region:)``: state, layers, region), so a pause made by the CLI
    /// or another instance is seen at once, and reads the record again only when its layers changed (a re-key).
    private let records = Mutex<[PetitionSlug: PetitionRecord]>([:])

    public init(
        store: any SignatureStore, keyring: Keyring, tokenLifetime: Duration = Token.defaultLifetime,
        mailCap: MailCap = MailCap(), collectionPaused: Bool = false, observer: (any SignObserver)? = nil,
        now: @escaping @Sendable () -> Date = { Date() }
    ) throws(KeyringError) {
        self.collectionPaused = collectionPaused
        self.observer = observer
        self.store = store
        self.keys = Mutex((keyring, try TokenAuthority(keyring: keyring), try ProofOfWorkAuthority(keyring: keyring)))
        self.tokenLifetime = tokenLifetime
        self.mailCap = mailCap
        self.now = now
    }

    /// Records a pending signature and returns the mail to send: ``prepareSign(slug:email:region:)`` then
    /// ``complete(_:)``.
    public func sign(slug: PetitionSlug, email: String, region: String?) async throws(SigningError) -> OutgoingMail? {
        try await complete(prepareSign(slug: slug, email: email, region: region))
    }

    /// Checks a sign request as far as it can be checked without the signer's state: the address, the petition, its
    /// state and the region. Throws what the signer can fix; ``complete(_:)`` does the rest.
    public func prepareSign(slug: PetitionSlug, email: String, region: String?) async throws(SigningError) -> SignerRequest {
        let canonical = try Self.canonical(email)
        guard !collectionPaused else {
            _ = try await admission(slug, region: region) // an unknown petition is refused as such, paused or not
            throw .petitionNotOpen()
        }
        let petition = try await admitted(slug: slug, region: region, for: .confirm)
        return SignerRequest(kind: .sign, canonical: canonical, petition: petition, region: region)
    }

    /// Checks a withdrawal request as far as it can be checked without the signer's state; ``complete(_:)`` does the rest.
    public func prepareWithdrawal(slug: PetitionSlug, email: String) async throws(SigningError) -> SignerRequest {
        let canonical = try Self.canonical(email)
        let petition = try await admitted(slug: slug, region: nil, for: .withdraw)
        return SignerRequest(kind: .withdrawal, canonical: canonical, petition: petition, region: nil)
    }

    /// The part of a request that depends on the signer's state, and so must not shape the response: the pseudonym,
    /// the daily ``MailCap`` (past it: nothing written, no mail, in every state), the store transaction, and the one
    /// mail to send: a confirmation link or "you already signed" for a sign, a withdrawal link or "this address has not
    /// signed" for a withdrawal. A re-key between the check and the store is retried with the new layering.
    public func complete(_ request: SignerRequest) async throws(SigningError) -> OutgoingMail? {
        var petition = request.petition
        var retries = 0
        while true {
            do {
                return try await attempt(request, on: petition, observed: retries > 0)
            } catch where error.store?.code == .rekeyed && retries < 2 {
                retries += 1
                petition = try await self.petition(petition.slug)
            }
        }
    }

    /// One try of ``complete(_:)``; `observed` says that an earlier try (before a re-key) already showed the request to the
    /// ``SignObserver``.
    private func attempt(_ request: SignerRequest, on petition: PetitionRecord, observed: Bool) async throws(SigningError) -> OutgoingMail? {
        let pseudonym = try self.pseudonym(of: request.canonical, on: petition)
        if request.kind == .sign && !observed {
            observer?.observeSign(domain: request.canonical.domain, petition: petition.slug, pseudonym: pseudonym)
        }
        let date = now()
        guard mailCap.allow(pseudonym, at: date) else { return nil }
        let expires = date.addingTimeInterval(TimeInterval(tokenLifetime.components.seconds))
        let purpose: TokenPurpose = request.kind == .sign ? .confirm : .withdraw
        let token = try issue(purpose, expires: expires)
        let pending = PendingRequest(
            slug: petition.slug, pseudonym: pseudonym, region: request.region, tokenID: TokenID(token.token), expiresAt: expires,
            keyLayers: petition.keyLayers.count)
        let kind: OutgoingMail.Kind
        do {
            switch request.kind {
            case .sign:
                kind = try await store.sign(pending) == .pending ? .confirm(token: token.text) : .alreadySigned
            case .withdrawal:
                kind = try await store.requestWithdrawal(pending) == .pending ? .withdraw(token: token.text) : .notSigned
            }
        } catch {
            throw Self.map(error)
        }
        // The mail goes to the mailbox the pseudonym stands for, not to the spelling typed: otherwise whoever receives
        // `alice+x@…` (where `+` is no sub-address separator, or on a catch-all) would get the mail about alice@…'s
        // signature, its state, and a link to withdraw it.
        return OutgoingMail(recipient: request.canonical.value, petitionSlug: petition.slug, petitionTitle: petition.title, kind: kind)
    }

    /// Confirms the signature a mailed token stands for. When it counts, the store keeps the commitment to a fresh
    /// receipt secret `r` beside the signature and logs it; `r` itself is returned once, in the ``Confirmation``.
    public func confirm(token text: String) async throws(SigningError) -> Confirmation {
        let token = try verify(text, for: .confirm)
        let secret: [UInt8]
        do {
            secret = try ReceiptCommitment.randomSecret()
        } catch {
            throw .petitionKeyUnavailable("cannot make a receipt: \(error.reason)")
        }
        let outcome: ConfirmOutcome
        do {
            outcome = try await store.confirm(tokenID: TokenID(token), at: now()) { slug in
                try ReceiptCommitment(slug: slug.value, secret: secret)
            }
        } catch {
            throw Self.map(error)
        }
        switch outcome {
        case .confirmed, .alreadyConfirmed: return Confirmation(outcome: outcome, receiptSecret: secret)
        case .expired: throw .expiredToken()
        case .unknownToken: throw .invalidToken(nil)
        }
    }

    /// Records a pending withdrawal and returns the mail to send: ``prepareWithdrawal(slug:email:)`` then ``complete(_:)``.
    public func requestWithdrawal(slug: PetitionSlug, email: String) async throws(SigningError) -> OutgoingMail? {
        try await complete(prepareWithdrawal(slug: slug, email: email))
    }

    /// Withdraws the signature a mailed token stands for.
    public func withdraw(token text: String) async throws(SigningError) -> WithdrawOutcome {
        let token = try verify(text, for: .withdraw)
        let outcome: WithdrawOutcome
        do {
            outcome = try await store.withdraw(tokenID: TokenID(token), at: now())
        } catch {
            throw Self.map(error)
        }
        switch outcome {
        case .withdrawn, .alreadyWithdrawn: return outcome
        case .expired: throw .expiredToken()
        case .unknownToken: throw .invalidToken(nil)
        }
    }

    /// Unwraps every stored petition key that has not been shredded, so that a keyring that cannot open
    /// them (a lost or wrong keyring) stops the server at start instead of failing each signer.
    public func checkPetitionKeys() async throws(SigningError) {
        let petitions: [PetitionRecord]
        do {
            petitions = try await store.petitions()
        } catch {
            throw .store(error)
        }
        for petition in petitions where petition.wrappedKey != nil {
            do {
                _ = try generator(for: petition)
            } catch {
                throw .petitionKeyUnavailable("petition \(petition.slug): \(error.reason)")
            }
        }
    }

    /// The keyring in use.
    public var keyring: Keyring { keys.withLock { $0.keyring } }

    /// Issues and checks proof-of-work challenges under the primary token key.
    public var proofOfWork: ProofOfWorkAuthority { keys.withLock { $0.proofOfWork } }

    /// Switches to a changed keyring (a rotation, a destroy): new tokens are minted under its primary token
    /// key and only its usable keys verify. Petition keys stay cached: a re-wrap does not change them.
    public func useKeyring(_ keyring: Keyring) throws(KeyringError) {
        let tokens = try TokenAuthority(keyring: keyring)
        let proofOfWork = try ProofOfWorkAuthority(keyring: keyring)
        keys.withLock { $0 = (keyring, tokens, proofOfWork) }
    }

    // MARK: - Helpers

    /// The canonical address; it is checked before the petition, so a malformed address is refused the same way
    /// whatever petition it names.
    private static func canonical(_ email: String) throws(SigningError) -> CanonicalEmail {
        do {
            return try CanonicalEmail(email)
        } catch {
            throw .invalidEmail(error)
        }
    }

    /// The petition `slug` for a request naming `region`, made for `purpose`, once its admission (read fresh) takes
    /// such a request: the cached record, or the record read again when there is none or its layers changed.
    private func admitted(slug: PetitionSlug, region: String?, for purpose: TokenPurpose) async throws(SigningError) -> PetitionRecord {
        let admission = try await admission(slug, region: region)
        if admission.state == .closed {
            // A closed petition takes nothing again: its keys leave memory now (wiped as they go), not at the next restart,
            // so that a shred by the CLI leaves no copy of the petition key in a running server.
            generators.withLock { $0[slug] = nil }
            records.withLock { $0[slug] = nil }
        }
        do {
            try admission.check(purpose, keyLayers: admission.layerCount)
        } catch {
            throw Self.map(error)
        }
        if var cached = records.withLock({ $0[slug] }), cached.keyLayers.count == admission.layerCount {
            cached.state = admission.state
            return cached
        }
        return try await petition(slug)
    }

    /// The admission of petition `slug`, read fresh.
    private func admission(_ slug: PetitionSlug, region: String?) async throws(SigningError) -> PetitionAdmission {
        let found: PetitionAdmission?
        do {
            found = try await store.admission(slug, region: region)
        } catch {
            throw Self.map(error)
        }
        guard let found else {
            records.withLock { $0[slug] = nil }
            throw .unknownPetition()
        }
        return found
    }

    /// The whole record of petition `slug`, read from the store and cached.
    private func petition(_ slug: PetitionSlug) async throws(SigningError) -> PetitionRecord {
        let found: PetitionRecord?
        do {
            found = try await store.petition(slug)
        } catch {
            throw Self.map(error)
        }
        records.withLock { $0[slug] = found }
        guard let found else { throw .unknownPetition() }
        return found
    }

    private func pseudonym(of email: CanonicalEmail, on petition: PetitionRecord) throws(SigningError) -> Pseudonym {
        do {
            return try generator(for: petition).pseudonym(for: email)
        } catch {
            throw .petitionKeyUnavailable(error.reason)
        }
    }

    private func generator(for petition: PetitionRecord) throws(CryptoError) -> PseudonymGenerator {
        guard let wrapped = petition.wrappedKey else {
            generators.withLock { $0[petition.slug] = nil }
            throw CryptoError(.keyShredded, reason: "the key of petition \(petition.slug) was shredded")
        }
        if let cached = generators.withLock({ $0[petition.slug] }), cached.layerCount == petition.keyLayers.count { return cached }
        let keyring = keys.withLock { $0.keyring }
        let key: SecretBytes
        let layers: [PseudonymLayer]
        do {
            key = try wrapped.unwrap(slug: petition.slug, keyring: keyring)
            layers = try petition.keyLayers.enumerated().map { index, wrapped throws(PetitionKeyError) in
                do {
                    return try PseudonymLayer(key: wrapped.unwrap(slug: petition.slug, keyring: keyring, layer: index))
                } catch let error as PetitionKeyError {
                    throw error
                } catch {
                    throw .crypto("\(error)")
                }
            }
        } catch {
            throw CryptoError(.authenticationFailed, reason: error.description)
        }
        let generator = try PseudonymGenerator(petitionKey: key, salt: petition.salt, layers: layers)
        generators.withLock { $0[petition.slug] = generator }
        return generator
    }

    private func issue(_ purpose: TokenPurpose, expires: Date) throws(SigningError) -> (token: Token, text: String) {
        do {
            return try keys.withLock { $0.tokens }.issue(purpose, expires: UInt64(max(0, expires.timeIntervalSince1970)))
        } catch {
            throw .petitionKeyUnavailable("cannot mint a token: \(error.reason)")
        }
    }

    private func verify(_ text: String, for purpose: TokenPurpose) throws(SigningError) -> Token {
        do {
            return try keys.withLock { $0.tokens }.verify(text, for: purpose, now: UInt64(max(0, now().timeIntervalSince1970)))
        } catch where error.code == .expired {
            throw .expiredToken()
        } catch {
            throw .invalidToken(error)
        }
    }

    private static func map(_ error: any Error) -> SigningError {
        guard let error = error as? StoreError else { return .store(StoreError(.database, "\(error)")) }
        switch error.code {
        case .unknownPetition: return .unknownPetition()
        case .invalidRegion: return .invalidRegion()
        case .petitionNotOpen: return .petitionNotOpen()
        default: return .store(error)
        }
    }
}
