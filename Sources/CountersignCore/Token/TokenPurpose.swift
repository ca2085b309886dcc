/// What a ``Token`` may be used for; a token minted for one purpose is refused for the other.
public enum TokenPurpose: UInt8, Sendable, CaseIterable {
    case confirm = 0x01
    case withdraw = 0x02
}
