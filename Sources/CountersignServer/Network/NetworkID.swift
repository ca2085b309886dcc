import CountersignCrypto

/// A client network as ``NetworkIdentifier`` names it: 16 opaque bytes, valid for one UTC day. Its description, the
/// lowercase hex of the bytes, is how a trend warning or alert names a network.
public struct NetworkID: Hashable, Sendable, CustomStringConvertible {
    public let bytes: [UInt8]

    public var description: String { Hex.encode(bytes) }
}
