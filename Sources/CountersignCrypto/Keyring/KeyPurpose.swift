/// What a key in the ``Keyring`` is for. Each purpose has exactly one primary key.
public enum KeyPurpose: String, Codable, Sendable, CaseIterable {
    /// Wraps petition keys (AES-256-GCM).
    case master
    /// Authenticates confirmation and withdrawal tokens (HMAC-SHA256).
    case token
    /// Signs audit-log checkpoints (Ed25519 seed).
    case log

    /// Every purpose's material is 32 bytes: an AES-256 key, an HMAC-SHA256 key or an Ed25519 seed.
    public var materialLength: Int { 32 }
}
