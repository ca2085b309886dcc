import Foundation

/// The set of keys Countersign uses, like a Tink keyset: per ``KeyPurpose`` exactly one primary key
/// and any number of verify-only, disabled or destroyed ones.
///
/// A `Keyring` value always satisfies its rules; ``KeyringFile`` persists it.
public struct Keyring: Sendable, Equatable {
    /// The format name written into the file, so that a future layout can be told apart.
    public static let format = "countersign-keyring/v1"

    public private(set) var keys: [KeyEntry]

    /// A keyring of `keys`, checked against the rules: unique ids, one primary per purpose, 32 bytes of
    /// material on every key that is not destroyed and none on a destroyed one, fingerprints that match.
    public init(keys: [KeyEntry]) throws(KeyringError) {
        self.keys = keys
        try validate()
    }

    /// A new keyring with one fresh primary key per purpose.
    public static func generate(now: Date, policy: KeyPolicy = .default) throws(KeyringError) -> Keyring {
        var keys: [KeyEntry] = []
        for purpose in KeyPurpose.allCases {
            keys.append(try newKey(purpose: purpose, avoiding: keys, now: now, policy: policy))
        }
        return try Keyring(keys: keys)
    }

    /// The primary key of `purpose`.
    public func primary(_ purpose: KeyPurpose) throws(KeyringError) -> KeyEntry {
        guard let key = keys.first(where: { $0.purpose == purpose && $0.status == .primary }) else {
            throw KeyringError(.invalid, "the keyring has no primary \(purpose.rawValue) key; run `countersign keys rotate --purpose \(purpose.rawValue)`")
        }
        return key
    }

    /// The key with id `kid`, if any.
    public func key(kid: UInt32) -> KeyEntry? {
        keys.first { $0.kid == kid }
    }

    /// All keys of `purpose`, in the order they were added.
    public func keys(_ purpose: KeyPurpose) -> [KeyEntry] {
        keys.filter { $0.purpose == purpose }
    }

    /// Makes a fresh key the primary of `purpose` and demotes the old primary to verify-only.
    ///
    /// - Returns: the new primary key.
    @discardableResult
    public mutating func rotate(_ purpose: KeyPurpose, now: Date, policy: KeyPolicy = .default) throws(KeyringError) -> KeyEntry {
        let fresh = try Self.newKey(purpose: purpose, avoiding: keys, now: now, policy: policy)
        for index in keys.indices where keys[index].purpose == purpose && keys[index].status == .primary {
            keys[index].status = .verifyOnly
        }
        keys.append(fresh)
        try validate()
        return fresh
    }

    /// Erases the material of key `kid`, keeping its metadata and fingerprint. A primary key cannot be
    /// destroyed: rotate it first. The caller checks that nothing still needs the key (``KeyPurpose``-specific).
    ///
    /// - Returns: the destroyed key's entry.
    @discardableResult
    public mutating func destroy(kid: UInt32) throws(KeyringError) -> KeyEntry {
        guard let index = keys.firstIndex(where: { $0.kid == kid }) else {
            throw .noKey(kid)
        }
        guard keys[index].status != .primary else {
            throw KeyringError(.invalid, "key \(keys[index].kidHex) is the primary \(keys[index].purpose.rawValue) key; rotate it first")
        }
        guard keys[index].status != .destroyed else {
            throw KeyringError(.invalid, "key \(keys[index].kidHex) is destroyed already")
        }
        keys[index].status = .destroyed
        keys[index].material = nil
        try validate()
        return keys[index]
    }

    /// The key of the same purpose added right after `key`: the one that replaced it, if any.
    public func successor(of key: KeyEntry) -> KeyEntry? {
        let same = keys(key.purpose)
        guard let index = same.firstIndex(where: { $0.kid == key.kid }), index + 1 < same.count else { return nil }
        return same[index + 1]
    }

    private static func newKey(purpose: KeyPurpose, avoiding existing: [KeyEntry], now: Date, policy: KeyPolicy) throws(KeyringError) -> KeyEntry {
        do {
            var kid = try SecureRandom.uint32()
            while kid == 0 || existing.contains(where: { $0.kid == kid }) {
                kid = try SecureRandom.uint32()
            }
            return try KeyEntry.generate(kid: kid, purpose: purpose, status: .primary, now: now, policy: policy)
        } catch {
            throw KeyringError(.crypto, "could not generate a \(purpose.rawValue) key: \(error.reason)")
        }
    }

    private func validate() throws(KeyringError) {
        var seen = Set<UInt32>()
        for key in keys {
            guard seen.insert(key.kid).inserted else {
                throw KeyringError(.invalid, "key id \(key.kidHex) appears twice; every key needs its own id")
            }
            switch (key.status, key.material) {
            case (.destroyed, .some):
                throw KeyringError(.invalid, "key \(key.kidHex) is destroyed but still has material; remove its \"material\" field")
            case (.destroyed, .none):
                continue
            case (_, .none):
                throw KeyringError(.invalid, "key \(key.kidHex) is \(key.status.rawValue) but has no material; restore it from backup or mark it destroyed")
            case (_, .some(let material)):
                guard material.count == key.purpose.materialLength else {
                    throw KeyringError(.invalid, "key \(key.kidHex) has \(material.count) bytes of material; a \(key.purpose.rawValue) key has \(key.purpose.materialLength)")
                }
                guard (try? KeyFingerprint.of(material)) == key.fingerprint else {
                    throw KeyringError(.invalid, "key \(key.kidHex) does not match its fingerprint \(key.fingerprint); the file was altered or damaged")
                }
            }
        }
        for purpose in KeyPurpose.allCases {
            let primaries = keys.filter { $0.purpose == purpose && $0.status == .primary }.count
            guard primaries == 1 else {
                throw KeyringError(.invalid, "the keyring has \(primaries) primary \(purpose.rawValue) keys; it needs exactly one")
            }
        }
    }
}

extension Keyring: Codable {
    private enum CodingKeys: String, CodingKey { case format, keys }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let format = try container.decode(String.self, forKey: .format)
        guard format == Self.format else {
            throw KeyringError(.malformed, "the keyring format is \"\(format)\"; this version reads \"\(Self.format)\"")
        }
        try self.init(keys: container.decode([KeyEntry].self, forKey: .keys))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Self.format, forKey: .format)
        try container.encode(keys, forKey: .keys)
    }
}
