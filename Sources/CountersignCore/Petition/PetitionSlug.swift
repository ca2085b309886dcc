/// A petition's URL name: 1 to 64 characters of `a-z`, `0-9` and `-`.
public struct PetitionSlug: Sendable, Hashable, Codable, CustomStringConvertible {
    public let value: String

    public init(_ value: String) throws(PetitionError) {
        guard (1...64).contains(value.utf8.count),
            value.utf8.allSatisfy({ (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: "-") })
        else { throw .invalidSlug() }
        self.value = value
    }

    public init(from decoder: any Decoder) throws {
        try self.init(decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }

    public var description: String { value }
}
