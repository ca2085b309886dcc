/// Why an email address was refused. Each case names the rule that failed.
///
/// The error never holds the address itself, so it is safe to log, to return to a client, or to crash with.
public struct EmailAddressError: Error, Hashable, CustomStringConvertible {
    /// The rule an address broke.
    public enum Rule: String, Sendable, CaseIterable {
        case empty
        case tooLong = "too-long"
        case controlCharacter = "control-character"
        case whitespace
        case quote
        case missingAt = "missing-at"
        case multipleAt = "multiple-at"
        case emptyLocalPart = "empty-local-part"
        case localPartTooLong = "local-part-too-long"
        case localPartCharacter = "local-part-character"
        case compatibilityCharacter = "compatibility-character"
        case emptyDomain = "empty-domain"
        case invalidDomain = "invalid-domain"
    }

    public let rule: Rule
    /// Extra detail for ``Rule/invalidDomain``: libidn2's message. Never contains the address.
    public let detail: String?

    public init(_ rule: Rule, detail: String? = nil) {
        self.rule = rule
        self.detail = detail
    }

    /// A sentence for the signer that says what to fix.
    public var description: String {
        let message = switch rule {
        case .empty: "Enter an email address."
        case .tooLong: "An email address can be at most 254 bytes long."
        case .controlCharacter: "An email address cannot contain control or invisible formatting characters."
        case .whitespace: "An email address cannot contain spaces."
        case .quote: "Quoted email addresses are not accepted; enter the address without quotation marks."
        case .missingAt: "An email address needs an @ between the name and the domain."
        case .multipleAt: "An email address has exactly one @."
        case .emptyLocalPart: "An email address needs a name before the @ (and before any +tag)."
        case .localPartTooLong: "The part before the @ can be at most 64 bytes long."
        case .localPartCharacter: "The part before the @ can hold letters, digits, dots and ! # $ % & ' * + - / = ? ^ _ ` { | } ~ only."
        case .compatibilityCharacter:
            "The part before the @ holds a character that stands for another one (such as a full-width letter, a ligature or the Kelvin sign); type the plain letter instead."
        case .emptyDomain: "An email address needs a domain after the @."
        case .invalidDomain: "The domain after the @ is not a valid domain name."
        }
        return detail.map { "\(message) (\($0))" } ?? message
    }
}
