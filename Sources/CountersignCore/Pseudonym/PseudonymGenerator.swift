import CountersignCrypto

/// Computes ``Pseudonym``s for one petition from its key and salt, reusing one keyed HMAC context.
public struct PseudonymGenerator: Sendable {
    public static let keyLength = 32
    public static let saltLength = 16

    private let mac: HMACSHA256
    /// `"countersign/pseudonym/v1" ‖ 0x00 ‖ salt_p`, the part of every message that is fixed per petition.
    private let prefix: [UInt8]
    /// Re-keying layers applied after the base HMAC, oldest first.
    private let layers: [PseudonymLayer]

    /// A generator for the petition whose key is `petitionKey` (32 bytes) and whose salt is `salt` (16 bytes),
    /// with the petition's re-keying `layers` (``PseudonymLayer``), if it was ever re-keyed.
    /// Refuses a petition key of any length but ``keyLength``.
    static func checkKeyLength(_ petitionKey: SecretBytes, fileID: String = #fileID, line: UInt = #line) throws(CryptoError) {
        guard petitionKey.count == keyLength else {
            throw CryptoError(.invalidKeyLength, reason: "a petition key has \(keyLength) bytes, not \(petitionKey.count)", fileID: fileID, line: line)
        }
    }

    public init(petitionKey: SecretBytes, salt: [UInt8], layers: [PseudonymLayer] = []) throws(CryptoError) {
        try Self.checkKeyLength(petitionKey)
        guard salt.count == Self.saltLength else {
            throw CryptoError(.invalidKeyLength, reason: "a petition salt has 16 bytes, not \(salt.count)")
        }
        self.mac = try HMACSHA256(key: petitionKey)
        self.prefix = Pseudonym.label + salt
        self.layers = layers
    }

    /// The pseudonym of `email` on this petition.
    public func pseudonym(for email: CanonicalEmail) throws(CryptoError) -> Pseudonym {
        var pseudonym = Pseudonym(hmacOutput: try mac.authenticate { message in
            message.update(prefix)
            message.update(utf8: email.value)
        })
        for layer in layers {
            pseudonym = try layer.apply(pseudonym)
        }
        return pseudonym
    }

    /// How many re-keying layers this generator applies.
    public var layerCount: Int { layers.count }
}
