import CountersignCrypto

/// One emergency re-keying layer (`countersign keys rekey`): `P' = HMAC-SHA256(K', P)` over a pseudonym `P`.
///
/// Re-keying a petition draws a fresh `K'`, maps every stored pseudonym through it, and stores `K'` wrapped
/// beside the petition key; new signs then apply the same layers in order, so old and new signers still meet.
/// Someone who stole the petition key before the re-key can no longer test a guessed address against the store.
public struct PseudonymLayer: Sendable {
    private let mac: HMACSHA256

    /// A layer under the 32-byte key `key`.
    public init(key: SecretBytes) throws(CryptoError) {
        guard key.count == PseudonymGenerator.keyLength else {
            throw CryptoError(.invalidKeyLength, reason: "a re-keying layer key has 32 bytes, not \(key.count)")
        }
        mac = try HMACSHA256(key: key)
    }

    /// `HMAC-SHA256(K', P)`.
    public func apply(_ pseudonym: Pseudonym) throws(CryptoError) -> Pseudonym {
        Pseudonym(hmacOutput: try mac.authenticate(pseudonym.bytes))
    }
}
