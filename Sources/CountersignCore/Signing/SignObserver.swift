/// Sees every sign request once its pseudonym is known, after the signer was answered: the in-memory trend counts
/// (`CountersignServer`'s `TrendMonitor`) count signs per email domain, and distinct signers among them, from here.
///
/// ``SigningService/complete(_:)`` calls it before the ``MailCap`` and the store, for every sign request whatever the
/// signer's state, so that what it counts cannot tell whether an address signed. It gets the domain and the pseudonym,
/// never the address.
public protocol SignObserver: Sendable {
    /// One sign request on `petition` from an address at `domain` (IDNA ASCII) whose pseudonym there is `pseudonym`.
    func observeSign(domain: String, petition: PetitionSlug, pseudonym: Pseudonym)
}
