/// The signed contents of a confirmation or withdrawal token. It holds no personal data: the random
/// ``id`` is all the store keeps, and it points to a pending row holding only a pseudonym.
///
/// Byte layout, 62 bytes (restated in `Docs/crypto.md`):
///
///     0x01 ‖ purpose(1) ‖ kid(4, big-endian) ‖ id(16) ‖ expires(8, big-endian Unix seconds) ‖ tag(32)
///     tag = HMAC-SHA256(K_token[kid], "countersign/token/v1" ‖ 0x00 ‖ the 30 bytes before the tag)
///
/// The text form is base64url without padding (83 characters). ``TokenAuthority`` mints and verifies them.
public struct Token: Sendable, Hashable {
    public static let version: UInt8 = 0x01
    public static let idLength = 16
    static let signedLength = 30
    public static let length = signedLength + 32
    /// Length of the base64url text form of ``length`` bytes, without padding.
    public static let textLength = (length * 8 + 5) / 6
    static let label = Array("countersign/token/v1".utf8) + [0x00]

    public let purpose: TokenPurpose
    /// The id of the token key whose HMAC made the tag.
    public let kid: UInt32
    /// 16 random bytes; single use is enforced on this id in the store.
    public let id: [UInt8]
    /// Expiry in Unix seconds.
    public let expires: UInt64

    public init(purpose: TokenPurpose, kid: UInt32, id: [UInt8], expires: UInt64) {
        self.purpose = purpose
        self.kid = kid
        self.id = id
        self.expires = expires
    }

    /// The 30 bytes the tag covers.
    var signedBytes: [UInt8] {
        var bytes: [UInt8] = [Self.version, purpose.rawValue]
        bytes.reserveCapacity(Self.length)
        bytes += withUnsafeBytes(of: kid.bigEndian, Array.init)
        bytes += id
        bytes += withUnsafeBytes(of: expires.bigEndian, Array.init)
        return bytes
    }
}
