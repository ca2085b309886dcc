import Foundation

/// What `countersign keys list` shows of a key: metadata and fingerprint, never material.
public struct KeyListing: Sendable, Equatable, Codable {
    public let kid: String
    public let purpose: KeyPurpose
    public let status: KeyStatus
    public let created: String
    public let notAfter: String
    public let fingerprint: String
    /// Whether the key is past its cryptoperiod while still primary, and so due for rotation.
    public let rotationDue: Bool

    private enum CodingKeys: String, CodingKey {
        case kid, purpose, status, created, notAfter = "not_after", fingerprint, rotationDue = "rotation_due"
    }

    public init(_ key: KeyEntry, now: Date) {
        kid = key.kidHex
        purpose = key.purpose
        status = key.status
        created = key.created.formatted(.iso8601)
        notAfter = key.notAfter.formatted(.iso8601)
        fingerprint = key.fingerprint
        rotationDue = key.status == .primary && now >= key.notAfter
    }

    /// The listing of every key, grouped by purpose in ``KeyPurpose`` order.
    public static func of(_ keyring: Keyring, now: Date) -> [KeyListing] {
        KeyPurpose.allCases.flatMap { purpose in keyring.keys(purpose).map { KeyListing($0, now: now) } }
    }

    /// The listing as pretty-printed JSON with stable, sorted field names.
    public static func json(_ listings: [KeyListing]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(listings), as: UTF8.self)
    }
}
