import CountersignCrypto

/// A petition key encrypted under a master key, the only form in which a petition key is stored.
///
/// Byte layout, 64 bytes (restated in `Docs/crypto.md`):
///
///     kid(4, big-endian) ‖ nonce(12) ‖ AES-256-GCM ciphertext(32) ‖ tag(16)
///     key = master[kid]; associated data = "countersign/petition-key/v1" ‖ 0x00 ‖ UTF-8(petition slug)
///     for re-keying layer n (0 first): the same ‖ 0x00 ‖ UTF-8("layer-n")
///
/// Binding the slug as associated data means a wrapped key copied onto another petition does not open, and binding
/// the layer means the base key and the layers cannot be swapped or reordered in the row.
public struct WrappedPetitionKey: Sendable, Hashable {
    public static let length = 4 + AES256GCM.nonceLength + PseudonymGenerator.keyLength + AES256GCM.tagLength
    static let label = Array("countersign/petition-key/v1".utf8) + [0x00]

    public let bytes: [UInt8]

    /// The id of the master key that wrapped this key.
    public var kid: UInt32 { bytes[0..<4].reduce(0) { $0 << 8 | UInt32($1) } }

    /// Wraps stored bytes; refuses any length but 64.
    public init(bytes: [UInt8]) throws(PetitionKeyError) {
        guard bytes.count == Self.length else { throw .malformed(byteCount: bytes.count) }
        self.bytes = bytes
    }

    /// Encrypts `petitionKey` for the petition `slug` under the master key `masterKid`/`master`.
    ///
    /// - Parameters:
    ///   - nonce: 12 bytes; random unless given (test vectors give one).
    ///   - layer: the index of a re-keying layer key, or `nil` for the petition's base key.
    public static func wrap(
        _ petitionKey: SecretBytes, slug: PetitionSlug, masterKid: UInt32, master: SecretBytes, nonce: [UInt8]? = nil, layer: Int? = nil
    ) throws(CryptoError) -> WrappedPetitionKey {
        try PseudonymGenerator.checkKeyLength(petitionKey)
        let iv = if let nonce { nonce } else { try SecureRandom.bytes(count: AES256GCM.nonceLength) }
        let box = try AES256GCM.seal(petitionKey, key: master, nonce: iv, associatedData: associatedData(slug, layer: layer))
        return WrappedPetitionKey(unchecked: withUnsafeBytes(of: masterKid.bigEndian, Array.init) + iv + box.ciphertext + box.tag)
    }

    /// Encrypts `petitionKey` under the keyring's primary master key.
    public static func wrap(
        _ petitionKey: SecretBytes, slug: PetitionSlug, keyring: Keyring, layer: Int? = nil
    ) throws(PetitionKeyError) -> WrappedPetitionKey {
        do {
            let master = try keyring.primary(.master)
            guard let material = master.material else { throw PetitionKeyError.masterKeyNotUsable(kid: master.kid) }
            return try wrap(petitionKey, slug: slug, masterKid: master.kid, master: material, layer: layer)
        } catch let error as PetitionKeyError {
            throw error
        } catch {
            throw .crypto(String(describing: error))
        }
    }

    /// Decrypts the petition key with `master`, the material of the key ``kid`` names.
    public func unwrap(slug: PetitionSlug, master: SecretBytes, layer: Int? = nil) throws(PetitionKeyError) -> SecretBytes {
        let nonce = Array(bytes[4..<16])
        let box = AES256GCM.SealedBox(ciphertext: Array(bytes[16..<48]), tag: Array(bytes[48..<64]))
        do {
            return try AES256GCM.open(box, key: master, nonce: nonce, associatedData: Self.associatedData(slug, layer: layer))
        } catch where error.code == .authenticationFailed {
            throw .authenticationFailed(kid: kid)
        } catch {
            throw .crypto(error.reason)
        }
    }

    /// Decrypts the petition key with the keyring's master key ``kid``, which must be primary or verify-only.
    public func unwrap(slug: PetitionSlug, keyring: Keyring, layer: Int? = nil) throws(PetitionKeyError) -> SecretBytes {
        guard let master = keyring.key(kid: kid), master.purpose == .master else { throw .unknownMasterKey(kid: kid) }
        guard master.status.acceptsExistingWork, let material = master.material else { throw .masterKeyNotUsable(kid: kid) }
        return try unwrap(slug: slug, master: material, layer: layer)
    }

    private init(unchecked bytes: [UInt8]) {
        self.bytes = bytes
    }

    private static func associatedData(_ slug: PetitionSlug, layer: Int?) -> [UInt8] {
        label + Array(slug.value.utf8) + (layer.map { [0x00] + Array("layer-\($0)".utf8) } ?? [])
    }
}
