/// A sign or withdrawal request that passed every check that does not depend on the signer's state: the address is
/// well formed, the petition exists and takes the request, the region is one of its own. What remains (the
/// pseudonym, the ``MailCap``, the store and the mail) is ``SigningService/complete(_:)``, which the HTTP layer runs
/// after it has answered, so that nothing the signer's state changes can show in the response or its timing.
///
/// It holds the canonical address, in memory only; its description is redacted.
public struct SignerRequest: Sendable {
    public enum Kind: Sendable, Equatable {
        case sign
        case withdrawal
    }

    public let kind: Kind
    let canonical: CanonicalEmail
    let petition: PetitionRecord
    let region: String?
}

extension SignerRequest: CustomStringConvertible, CustomReflectable {
    public var description: String { "SignerRequest(\(kind), \(petition.slug), address redacted)" }
    public var customMirror: Mirror { Mirror(self, children: ["kind": kind, "petition": petition.slug]) }
}
