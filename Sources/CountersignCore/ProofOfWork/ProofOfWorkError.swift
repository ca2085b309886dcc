import CountersignCrypto

/// Why a proof of work (an ALTCHA solution) was refused. Each reason says what the client should do; none repeats what
/// it sent. Equality compares the ``code`` only.
public struct ProofOfWorkError: CodedError {
    /// The kind of refusal.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Internal: String {
            case required, malformed, forged, expired, spent, stale
        }

        private let value: Internal

        /// A solution is demanded and none was sent.
        public static var required: Self { .init(value: .required) }
        /// The `altcha` field is not base64 of the JSON an ALTCHA client sends, or its salt has not the expected form.
        public static var malformed: Self { .init(value: .malformed) }
        /// The number does not solve the challenge, or the challenge was not signed by this service.
        public static var forged: Self { .init(value: .forged) }
        /// The challenge's `expires` has passed.
        public static var expired: Self { .init(value: .expired) }
        /// The challenge was solved and used before: each solution counts once.
        public static var spent: Self { .init(value: .spent) }
        /// The challenge was issued for another petition, or easier than signing needs now.
        public static var stale: Self { .init(value: .stale) }

        public var description: String { value.rawValue }
    }

    public let code: Code
    public let reason: String

    private init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    static let fetchAgain = "Fetch a new challenge from GET /api/challenge, solve it, and send the solution in the altcha field."

    public static func required() -> Self {
        .init(.required, "Signatures are arriving fast, so a proof of work is needed: \(fetchAgain) The petition page does this for you with JavaScript on.")
    }
    public static func malformed(_ what: String) -> Self { .init(.malformed, "The altcha field is not an ALTCHA solution (\(what)). \(fetchAgain)") }
    public static func forged() -> Self { .init(.forged, "The altcha solution does not check against a challenge this service signed. \(fetchAgain)") }
    public static func expired() -> Self { .init(.expired, "The proof-of-work challenge has expired. \(fetchAgain)") }
    public static func stale() -> Self {
        .init(.stale, "The proof-of-work challenge was issued for another petition, or is easier than signing needs now. \(fetchAgain)")
    }
    public static func spent() -> Self { .init(.spent, "This proof-of-work solution was already used; each one counts once. \(fetchAgain)") }
}
