import CountersignCrypto

/// The salt of a challenge: hex, then `?expires=UNIX&`, as ALTCHA v1 writes it. The closing `&` keeps a salt and a
/// number from running together (salt `…&1` with number `23` is not salt `…&12` with number `3`), and the whole salt is
/// covered by the challenge, and so by its signature.
///
/// The hex of our salts is 16 bytes: 8 random, then the challenge's ``Binding`` (its `maxnumber` as a big-endian
/// UInt32, and 4 bytes naming the petition it was issued for), so that a solution carries, signed, how hard its work was
/// and for which petition: a bot cannot stockpile easy solutions and spend them where signing needs harder ones.
public struct ProofOfWorkSalt: Sendable, Equatable {
    /// What a challenge was issued for.
    public struct Binding: Sendable, Equatable {
        public let maxNumber: Int
        /// The first 4 bytes of `SHA-256("countersign/altcha-petition/v1" ‖ 0x00 ‖ slug)`; zeros for no petition.
        public let petition: [UInt8]

        public init(maxNumber: Int, petition slug: PetitionSlug?) throws(CryptoError) {
            self.maxNumber = maxNumber
            self.petition = try slug.map { slug throws(CryptoError) in Array(try SHA256.hash(Self.label, Array(slug.value.utf8)).prefix(4)) }
                ?? [0, 0, 0, 0]
        }

        init(bytes: ArraySlice<UInt8>) {
            self.maxNumber = bytes.prefix(4).reduce(0) { $0 << 8 | Int($1) }
            self.petition = Array(bytes.dropFirst(4))
        }

        /// Whether a solution bound so may be spent on `slug`: issued for it, or for no petition.
        public func allows(_ slug: PetitionSlug) throws(CryptoError) -> Bool {
            let issued = try Binding(maxNumber: maxNumber, petition: slug)
            return petition == [0, 0, 0, 0] || petition == issued.petition
        }

        var bytes: [UInt8] { withUnsafeBytes(of: UInt32(clamping: maxNumber).bigEndian, Array.init) + petition }

        private static let label = Array("countersign/altcha-petition/v1".utf8) + [0]
    }

    /// The salt's text, as hashed.
    public let text: String
    /// When the challenge stops being accepted, in Unix seconds.
    public let expires: Int64
    /// What the challenge was issued for; `nil` for a salt not of our form (it then fails its signature anyway).
    public let binding: Binding?

    /// The longest salt accepted; ours are 52 characters.
    public static let maximumLength = 200

    /// A fresh salt: 8 random bytes and the binding in hex, expiring at `expires`.
    public init(random: [UInt8], binding: Binding, expires: Int64) {
        self.text = Hex.encode(random + binding.bytes) + "?expires=\(expires)&"
        self.expires = expires
        self.binding = binding
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
        let hex = text.prefix { $0 != "?" }
        self.binding = hex.count == 32 ? (try? Hex.decode(String(hex))).map { Binding(bytes: $0[8...]) } : nil
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}

