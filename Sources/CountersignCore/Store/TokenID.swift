/// The random 16-byte id of a token: the only part of a token the store keeps.
public struct TokenID: Sendable, Hashable {
    public let bytes: [UInt8]

    public init(bytes: [UInt8]) throws(TokenError) {
        guard bytes.count == Token.idLength else { throw .malformed() }
        self.bytes = bytes
    }

    /// The id of a verified token.
    public init(_ token: Token) {
        self.bytes = token.id
    }
}
