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
    public static let idLength = Layout.id.count
    public static let length = Layout.tag.upperBound
    /// Length of the base64url text form of ``length`` bytes, without padding.
    public static let textLength = (length * 8 + 5) / 6
    static let label = Array("countersign/token/v1".utf8) + [0x00]
    /// How long a mailed link works, unless the service is told otherwise.
    public static let defaultLifetime: Duration = .seconds(48 * 3600)

    /// Where each field sits in the byte form.
    enum Layout {
        static let version = 0
        static let purpose = 1
        static let kid = 2..<6
        static let id = 6..<22
        static let expires = 22..<30
        /// The bytes the tag covers.
        static let signed = 0..<30
        static let tag = 30..<62
    }

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

    /// The token whose fields `bytes` (``length`` bytes, version checked) carry, with its purpose byte kept raw so that
    /// the caller checks the tag before it trusts any field.
    static func fields(of bytes: [UInt8]) -> (purpose: UInt8, kid: UInt32, id: [UInt8], expires: UInt64, signed: [UInt8], tag: [UInt8]) {
        (
            bytes[Layout.purpose],
            bytes[Layout.kid].reduce(UInt32(0)) { $0 << 8 | UInt32($1) },
            Array(bytes[Layout.id]),
            bytes[Layout.expires].reduce(UInt64(0)) { $0 << 8 | UInt64($1) },
            Array(bytes[Layout.signed]),
            Array(bytes[Layout.tag])
        )
    }

    /// The bytes the tag covers, in ``Layout`` order.
    var signedBytes: [UInt8] {
        var bytes: [UInt8] = [Self.version, purpose.rawValue]
        bytes.reserveCapacity(Self.length)
        bytes += withUnsafeBytes(of: kid.bigEndian, Array.init)
        bytes += id
        bytes += withUnsafeBytes(of: expires.bigEndian, Array.init)
        return bytes
    }
}
