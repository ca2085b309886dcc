import CountersignCrypto
import Foundation

/// A bearer token for organizers and auditors, as the store keeps it: only the SHA-256 hash of the token's
/// text, never the text itself, so a copy of the database grants nothing.
///
/// The text, printed once by `countersign tokens create`, is `cst_` then 43 base64url characters of 32 random
/// bytes. With 256 bits of entropy a plain SHA-256 is enough; a slow password hash would only slow requests.
public struct AccessToken: Sendable, Equatable {
    public static let prefix = "cst_"
    static let secretLength = 32

    /// The first 8 bytes of ``hash`` in hex: a public name for listing and revoking.
    public let id: String
    /// SHA-256 of the token's UTF-8 text.
    public let hash: [UInt8]
    public let role: AccessRole
    /// The one petition an organizer token is for; `nil` means every petition.
    public let petition: PetitionSlug?
    public let createdAt: Date
    public var revokedAt: Date?

    public init(hash: [UInt8], role: AccessRole, petition: PetitionSlug?, createdAt: Date, revokedAt: Date? = nil) {
        self.id = Hex.encode(hash.prefix(8))
        self.hash = hash
        self.role = role
        self.petition = petition
        self.createdAt = PetitionRecord.wholeSeconds(createdAt)
        self.revokedAt = revokedAt.map(PetitionRecord.wholeSeconds)
    }

    /// A fresh token: its text, to show once, and the record to store. Only organizer tokens take a petition
    /// (an auditor token is for `/metrics`, which no petition owns); ``AccessTokenError`` otherwise.
    public static func generate(role: AccessRole, petition: PetitionSlug?, now: Date) throws -> (text: String, token: AccessToken) {
        guard petition == nil || role == .organizer else { throw AccessTokenError.petitionForAuditor() }
        let text = prefix + Base64URL.encode(try SecureRandom.bytes(count: secretLength))
        return (text, AccessToken(hash: try hash(of: text), role: role, petition: petition, createdAt: now))
    }

    /// The hash under which a presented token's text is looked up.
    public static func hash(of text: String) throws(CryptoError) -> [UInt8] {
        try SHA256.hash(Array(text.utf8))
    }

    /// Whether `text` has the shape of a token: the prefix and 32 bytes of base64url (checked before any lookup).
    public static func isWellFormed(_ text: String) -> Bool {
        guard text.hasPrefix(prefix), let secret = try? Base64URL.decode(String(text.dropFirst(prefix.count))) else { return false }
        return secret.count == secretLength
    }

    /// Whether this token grants `role` for `petition` (`nil`: an action not tied to one petition).
    public func grants(_ role: AccessRole, petition slug: PetitionSlug?) -> Bool {
        guard revokedAt == nil, self.role == role else { return false }
        guard let petition else { return true }
        return petition == slug
    }
}
