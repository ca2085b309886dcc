import CountersignCrypto

/// The salt of a challenge: random hex, then `?expires=UNIX&`, as ALTCHA v1 writes it. The closing `&` keeps a salt
/// and a number from running together (salt `…&1` with number `23` is not salt `…&12` with number `3`), and `expires`
/// is covered by the challenge, and so by its signature.
public struct ProofOfWorkSalt: Sendable, Equatable {
    /// The salt's text, as hashed.
    public let text: String
    /// When the challenge stops being accepted, in Unix seconds.
    public let expires: Int64

    /// The longest salt accepted; ours are 44 characters.
    public static let maximumLength = 200

    /// A fresh salt: 12 random bytes in hex, expiring at `expires`.
    public init(random: [UInt8], expires: Int64) {
        self.text = Hex.encode(random) + "?expires=\(expires)&"
        self.expires = expires
    }

    /// Reads a salt a client sent back: it must end in `&` and carry one `expires` parameter, a plain decimal.
    public init(parsing text: String) throws(ProofOfWorkError) {
        guard text.utf8.count <= Self.maximumLength, text.hasSuffix("&") else { throw .malformed("the salt must end in &") }
        guard let query = text.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).dropFirst().first else {
            throw .malformed("the salt carries no ?expires=")
        }
        let values = query.split(separator: "&").compactMap { pair -> Substring? in
            pair.hasPrefix("expires=") ? pair.dropFirst("expires=".count) : nil
        }
        guard values.count == 1, let value = values.first, (1...12).contains(value.count), value.allSatisfy(\.isASCIIDigit),
            let expires = Int64(value)
        else { throw .malformed("the salt's expires is not one plain decimal") }
        self.text = text
        self.expires = expires
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}

