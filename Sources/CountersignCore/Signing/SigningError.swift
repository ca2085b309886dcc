/// Why a signing flow refused a request. The HTTP layer maps each to a status and a public message that
/// never repeats the signer's input.
public enum SigningError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The address broke a rule; the rule is named, the address is not.
    case invalidEmail(EmailAddressError)
    case unknownPetition
    /// The petition is paused or closed.
    case petitionNotOpen
    case invalidRegion
    /// The token is malformed, forged, for another purpose, superseded or unknown. Deliberately one case
    /// for the client; ``TokenError`` keeps the detail for tests.
    case invalidToken(TokenError?)
    /// The token's lifetime is over.
    case expiredToken
    /// The petition's key is shredded or cannot be unwrapped; an operator must look.
    case petitionKeyUnavailable(String)
    case store(StoreError)

    public var description: String {
        switch self {
        case .invalidEmail(let error): error.description
        case .unknownPetition: "There is no such petition."
        case .petitionNotOpen: "This petition is not collecting signatures right now."
        case .invalidRegion: "Pick a region from the list."
        case .invalidToken: "This link is not valid. Copy the whole link from the email, or ask for a new one."
        case .expiredToken: "This link has expired. Sign again to get a new one."
        case .petitionKeyUnavailable(let reason): "The petition's key is unavailable: \(reason)"
        case .store(let error): error.reason
        }
    }
}
