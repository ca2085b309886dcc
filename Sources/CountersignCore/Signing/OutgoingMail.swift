/// A message the signing flows want sent. It holds the address as the signer typed it, in memory only: the
/// mail queue hands it to the transport and drops it. Its description is redacted.
public struct OutgoingMail: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A link to confirm a new signature; carries the token text.
        case confirm(token: String)
        /// The address has signed already; no link.
        case alreadySigned
        /// A link to withdraw a signature; carries the token text.
        case withdraw(token: String)
        /// A withdrawal was asked for an address without a confirmed signature; no link.
        case notSigned
    }

    /// The recipient: the canonical address, the mailbox the pseudonym stands for. Never logged, stored or counted.
    public let recipient: String
    public let petitionSlug: PetitionSlug
    public let petitionTitle: String
    public let kind: Kind

    public init(recipient: String, petitionSlug: PetitionSlug, petitionTitle: String, kind: Kind) {
        self.recipient = recipient
        self.petitionSlug = petitionSlug
        self.petitionTitle = petitionTitle
        self.kind = kind
    }
}

extension OutgoingMail: CustomStringConvertible, CustomReflectable {
    public var description: String { "OutgoingMail(\(petitionSlug), \(kind.request), recipient redacted)" }
    public var customMirror: Mirror { Mirror(self, children: ["petitionSlug": petitionSlug, "request": kind.request]) }
}

extension OutgoingMail.Kind: CustomReflectable {
    /// Without the token or the kind, so that `dump` prints neither a live link nor the signer's state.
    public var customMirror: Mirror { Mirror(self, children: ["request": request]) }

    /// The request the mail answers, `sign` or `withdrawal`: all that logs may say, since the kind within it
    /// (a link, "already signed", "not signed") is the signer's state.
    public var request: String {
        switch self {
        case .confirm, .alreadySigned: "sign"
        case .withdraw, .notSigned: "withdrawal"
        }
    }

    /// The kind without its token. It tells the signer's state, so it names a template and never reaches a log.
    public var name: String {
        switch self {
        case .confirm: "confirm"
        case .alreadySigned: "already-signed"
        case .withdraw: "withdraw"
        case .notSigned: "not-signed"
        }
    }
}
