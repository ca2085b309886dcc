import CountersignCrypto

/// Mints tokens under the primary token key and verifies them under any usable token key.
///
/// Built from the ``Keyring``, it keeps one keyed HMAC context per token key, so verification never
/// re-keys. A verify-only key still verifies, which lets the token key rotate while links are in flight.
public struct TokenAuthority: Sendable {
    /// A token key as the authority needs it: id, status and (unless destroyed) material.
    public struct Key: Sendable {
        public let kid: UInt32
        public let status: KeyStatus
        public let material: SecretBytes?

        public init(kid: UInt32, status: KeyStatus, material: SecretBytes?) {
            self.kid = kid
            self.status = status
            self.material = material
        }
    }

    private struct LoadedKey: Sendable {
        let status: KeyStatus
        let mac: HMACSHA256?
    }

    private let keys: [UInt32: LoadedKey]
    private let primaryKid: UInt32

    /// An authority over `keys`, minting under `primaryKid`.
    public init(keys: [Key], primaryKid: UInt32) throws(CryptoError) {
        var loaded: [UInt32: LoadedKey] = [:]
        for key in keys {
            let usable = key.status.acceptsExistingWork
            loaded[key.kid] = LoadedKey(status: key.status, mac: try usable ? key.material.map(HMACSHA256.init(key:)) : nil)
        }
        guard loaded[primaryKid]?.mac != nil else { throw Self.unusablePrimary(primaryKid) }
        self.keys = loaded
        self.primaryKid = primaryKid
    }

    /// An authority over the keyring's token keys.
    public init(keyring: Keyring) throws(KeyringError) {
        let primary = try keyring.primary(.token)
        do {
            try self.init(
                keys: keyring.keys(.token).map { Key(kid: $0.kid, status: $0.status, material: $0.material) },
                primaryKid: primary.kid)
        } catch {
            throw KeyringError(.crypto, "cannot load the token keys: \(error.reason)")
        }
    }

    /// Mints a token for `purpose` that expires at `expires` (Unix seconds).
    ///
    /// - Parameter id: the token id; random unless given (test vectors give one).
    public func issue(_ purpose: TokenPurpose, expires: UInt64, id: [UInt8]? = nil) throws(CryptoError) -> (token: Token, text: String) {
        let tokenID = if let id { id } else { try SecureRandom.bytes(count: Token.idLength) }
        let token = Token(purpose: purpose, kid: primaryKid, id: tokenID, expires: expires)
        guard token.id.count == Token.idLength else {
            throw CryptoError(.invalidKeyLength, reason: "a token id has 16 bytes, not \(token.id.count)")
        }
        guard let mac = keys[primaryKid]?.mac else { throw Self.unusablePrimary(primaryKid) }
        let signed = token.signedBytes
        return (token, Base64URL.encode(signed + (try mac.authenticate(Token.label, signed))))
    }

    /// Verifies `text` as a token for `purpose` at time `now` (Unix seconds).
    ///
    /// Checks, in order: length and version, a known key with a usable status, the tag (in constant time),
    /// the purpose, the expiry. The order means an attacker learns nothing from purpose or expiry without
    /// a valid tag.
    public func verify(_ text: String, for purpose: TokenPurpose, now: UInt64) throws(TokenError) -> Token {
        guard text.utf8.count == Token.textLength, let bytes = try? Base64URL.decode(text), bytes.count == Token.length else {
            throw .malformed()
        }
        guard bytes[Token.Layout.version] == Token.version else { throw .unsupportedVersion(bytes[Token.Layout.version]) }
        let fields = Token.fields(of: bytes)
        guard let key = keys[fields.kid] else { throw .unknownKey(kid: fields.kid) }
        guard let mac = key.mac else { throw .keyNotUsable(kid: fields.kid) }
        guard let expected = try? mac.authenticate(Token.label, fields.signed), ConstantTime.equals(expected, fields.tag) else { throw .badTag() }
        guard let tokenPurpose = TokenPurpose(rawValue: fields.purpose), tokenPurpose == purpose else { throw .wrongPurpose() }
        guard now < fields.expires else { throw .expired() }
        return Token(purpose: tokenPurpose, kid: fields.kid, id: fields.id, expires: fields.expires)
    }

    private static func unusablePrimary(_ kid: UInt32, fileID: String = #fileID, line: UInt = #line) -> CryptoError {
        CryptoError(.invalidKeyLength, reason: "the primary token key \(kid) has no usable material", fileID: fileID, line: line)
    }
}
