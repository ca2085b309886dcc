import CountersignCrypto

/// A signer's pseudonym on one petition: 32 bytes that stand for a canonical address without revealing it.
///
/// The formula (restated for auditors in `Docs/crypto.md`):
///
///     HMAC-SHA256(K_p, "countersign/pseudonym/v1" ‖ 0x00 ‖ salt_p ‖ UTF-8(canonical email))
///
/// `K_p` is the petition's random 32-byte key and `salt_p` its random 16-byte salt, so the pseudonyms of
/// two petitions cannot be joined, and nobody without `K_p` can test a guessed address.
public struct Pseudonym: Sendable, Hashable {
    public static let length = 32
    static let label = Array("countersign/pseudonym/v1".utf8) + [0x00]

    public let bytes: [UInt8]

    /// Wraps stored pseudonym bytes; refuses any length but 32.
    public init(bytes: [UInt8]) throws(PseudonymError) {
        guard bytes.count == Self.length else { throw PseudonymError(byteCount: bytes.count) }
        self.bytes = bytes
    }

    /// Wraps an HMAC-SHA256 output, which is always 32 bytes.
    init(hmacOutput: [UInt8]) {
        self.bytes = hmacOutput
    }

    /// The first 8 bytes as an integer, the key of in-memory tables (``MailCap``, the trend counts). An HMAC output is
    /// uniform, so two signers share a key with a chance of about n²/2⁶⁵: a few in a billion for a million signers.
    public var tableKey: UInt64 { bytes.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) } }
}

/// A stored pseudonym had the wrong length.
public struct PseudonymError: Error, Hashable, CustomStringConvertible {
    public let byteCount: Int
    public var description: String { "a pseudonym has \(Pseudonym.length) bytes, not \(byteCount)" }
}

extension Pseudonym: CustomStringConvertible {
    /// Redacted: pseudonyms belong in the store, not in logs or the audit log.
    public var description: String { "<pseudonym>" }
}
