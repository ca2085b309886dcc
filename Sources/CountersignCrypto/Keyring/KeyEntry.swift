import Foundation

/// One key of the ``Keyring``: its public metadata and, until it is destroyed, its secret material.
///
/// `description` and the reflection mirror never show the material, so a key cannot reach a log by
/// interpolation or `dump`. The material is a ``SecretBytes``: copying an entry copies a reference, and the
/// bytes are wiped when the last entry holding them goes.
public struct KeyEntry: Sendable, Equatable {
    /// The key id carried in tokens, wrapped keys and checkpoints. Random, so ids from two keyrings rarely clash.
    public let kid: UInt32
    public let purpose: KeyPurpose
    public internal(set) var status: KeyStatus
    public let created: Date
    /// End of the cryptoperiod: after this the key should no longer be primary.
    public let notAfter: Date
    /// ``KeyFingerprint`` of the material, kept after the material is destroyed.
    public let fingerprint: String
    /// The secret, or `nil` once the key is destroyed.
    public internal(set) var material: SecretBytes?

    public init(
        kid: UInt32, purpose: KeyPurpose, status: KeyStatus, created: Date, notAfter: Date, material: SecretBytes
    ) throws(CryptoError) {
        self.kid = kid
        self.purpose = purpose
        self.status = status
        self.created = created
        self.notAfter = notAfter
        self.fingerprint = try KeyFingerprint.of(material)
        self.material = material
    }

    /// A fresh random key of `purpose`, valid from `now` for the policy's cryptoperiod.
    public static func generate(
        kid: UInt32, purpose: KeyPurpose, status: KeyStatus, now: Date, policy: KeyPolicy
    ) throws(CryptoError) -> KeyEntry {
        let created = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
        return try KeyEntry(
            kid: kid, purpose: purpose, status: status, created: created,
            notAfter: created.addingTimeInterval(TimeInterval(policy.cryptoperiod(of: purpose))),
            material: SecretBytes.random(count: purpose.materialLength))
    }

    /// The key id as 8 lowercase hex digits, the form shown to operators.
    public var kidHex: String { Hex.encode(withUnsafeBytes(of: kid.bigEndian) { Array($0) }) }
}

extension KeyEntry: Codable {
    private enum CodingKeys: String, CodingKey {
        case kid, purpose, status, created, notAfter = "not_after", fingerprint, material
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        kid = try container.decode(UInt32.self, forKey: .kid)
        purpose = try container.decode(KeyPurpose.self, forKey: .purpose)
        status = try container.decode(KeyStatus.self, forKey: .status)
        created = try Date(container.decode(String.self, forKey: .created), strategy: .iso8601)
        notAfter = try Date(container.decode(String.self, forKey: .notAfter), strategy: .iso8601)
        fingerprint = try container.decode(String.self, forKey: .fingerprint)
        material = try container.decodeIfPresent(String.self, forKey: .material).map { try SecretBytes.hex($0) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kid, forKey: .kid)
        try container.encode(purpose, forKey: .purpose)
        try container.encode(status, forKey: .status)
        try container.encode(created.formatted(.iso8601), forKey: .created)
        try container.encode(notAfter.formatted(.iso8601), forKey: .notAfter)
        try container.encode(fingerprint, forKey: .fingerprint)
        try container.encodeIfPresent(material?.hexEncoded, forKey: .material)
    }
}

extension KeyEntry: CustomStringConvertible, CustomReflectable {
    public var description: String {
        "KeyEntry(kid: \(kidHex), purpose: \(purpose.rawValue), status: \(status.rawValue), fingerprint: \(fingerprint))"
    }

    public var customMirror: Mirror {
        Mirror(self, children: ["kid": kidHex, "purpose": purpose, "status": status, "fingerprint": fingerprint])
    }
}
