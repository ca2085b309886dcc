/// Why a token was refused, checked in this order. The HTTP layer answers all but ``expired`` alike,
/// so that a client learns nothing about keys or tags.
public enum TokenError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Not 83 base64url characters decoding to 62 bytes.
    case malformed
    /// The first byte is not a known token version.
    case unsupportedVersion(UInt8)
    /// No token key has this id.
    case unknownKey(kid: UInt32)
    /// The token key is disabled or destroyed.
    case keyNotUsable(kid: UInt32)
    /// The HMAC tag does not match: the token was altered or forged.
    case badTag
    /// A token for one purpose was presented for another, or the purpose byte is unknown.
    case wrongPurpose
    /// The token's lifetime is over; the signer should ask for a new link.
    case expired

    public var description: String {
        switch self {
        case .malformed: "the token is not a Countersign token; copy the whole link from the mail"
        case .unsupportedVersion(let version): "token version \(version) is not supported by this server"
        case .unknownKey(let kid): "token key \(kid) is not in the keyring"
        case .keyNotUsable(let kid): "token key \(kid) is disabled or destroyed; ask for a new link"
        case .badTag: "the token's signature does not match; it was altered or forged"
        case .wrongPurpose: "this token is for another action"
        case .expired: "the token has expired; ask for a new link"
        }
    }
}
