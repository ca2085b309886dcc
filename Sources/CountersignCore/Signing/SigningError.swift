import CountersignCrypto

/// Why a signing flow refused a request. The HTTP layer maps each ``code`` to a status; ``reason`` is the public
/// message, which never repeats the signer's input. Equality compares the ``code`` only.
public struct SigningError: CodedError {
    /// The kind of refusal.
    public struct Code: Hashable, Sendable {
        private enum Internal {
            case invalidEmail, unknownPetition, petitionNotOpen, invalidRegion, invalidToken, expiredToken, petitionKeyUnavailable, store
        }

        private let value: Internal

        /// The address broke a rule; the rule is named, the address is not.
        public static var invalidEmail: Self { .init(value: .invalidEmail) }
        public static var unknownPetition: Self { .init(value: .unknownPetition) }
        /// The petition is paused or closed.
        public static var petitionNotOpen: Self { .init(value: .petitionNotOpen) }
        public static var invalidRegion: Self { .init(value: .invalidRegion) }
        /// The token is malformed, forged, for another purpose, superseded or unknown: one code for the client, while
        /// ``SigningError/token`` keeps the detail for tests.
        public static var invalidToken: Self { .init(value: .invalidToken) }
        /// The token's lifetime is over.
        public static var expiredToken: Self { .init(value: .expiredToken) }
        /// The petition's key is shredded or cannot be unwrapped; an operator must look.
        public static var petitionKeyUnavailable: Self { .init(value: .petitionKeyUnavailable) }
        /// The store failed or refused; ``SigningError/store`` says how.
        public static var store: Self { .init(value: .store) }
    }

    public let code: Code
    /// The message for the signer, or for the operator where one must act.
    public let reason: String
    /// Why a token was refused, for ``Code/invalidToken`` when the token itself was at fault.
    public let token: TokenError?
    /// The store's error, for ``Code/store``.
    public let store: StoreError?
    public let fileID: String
    public let line: UInt

    private init(
        _ code: Code, _ reason: String, token: TokenError? = nil, store: StoreError? = nil, fileID: String, line: UInt
    ) {
        self.code = code
        self.reason = reason
        self.token = token
        self.store = store
        self.fileID = fileID
        self.line = line
    }

    public static func invalidEmail(_ error: EmailAddressError, fileID: String = #fileID, line: UInt = #line) -> Self {
        Self(.invalidEmail, error.description, fileID: fileID, line: line)
    }

    public static func unknownPetition(fileID: String = #fileID, line: UInt = #line) -> Self {
        Self(.unknownPetition, "There is no such petition.", fileID: fileID, line: line)
    }

    public static func petitionNotOpen(fileID: String = #fileID, line: UInt = #line) -> Self {
        Self(.petitionNotOpen, "This petition is not collecting signatures right now.", fileID: fileID, line: line)
    }

    public static func invalidRegion(fileID: String = #fileID, line: UInt = #line) -> Self {
        Self(.invalidRegion, "Pick a region from the list.", fileID: fileID, line: line)
    }

    public static func invalidToken(_ token: TokenError?, fileID: String = #fileID, line: UInt = #line) -> Self {
        Self(.invalidToken, "This link is not valid. Copy the whole link from the email, or ask for a new one.", token: token, fileID: fileID, line: line)
    }

    public static func expiredToken(fileID: String = #fileID, line: UInt = #line) -> Self {
        Self(.expiredToken, "This link has expired. Sign again to get a new one.", fileID: fileID, line: line)
    }

    public static func petitionKeyUnavailable(_ reason: String, fileID: String = #fileID, line: UInt = #line) -> Self {
        Self(.petitionKeyUnavailable, "The petition's key is unavailable: \(reason)", fileID: fileID, line: line)
    }

    public static func store(_ error: StoreError, fileID: String = #fileID, line: UInt = #line) -> Self {
        Self(.store, error.reason, store: error, fileID: fileID, line: line)
    }
}
