/// The path of a C2SP tlog-tiles resource (https://c2sp.org/tlog-tiles), relative to the log's prefix:
///
///     tile/<L>/<N>[.p/<W>]          a tile of Merkle tree hashes at level L (0 to 63)
///     tile/entries/<N>[.p/<W>]      an entry bundle (the entries behind level-0 tile N)
///
/// `<N>` is the tile's index in zero-padded 3-digit path elements, all but the last beginning with `x`
/// (1234067 → `x001/x234/067`). `.p/<W>` marks a partial tile of width W (1 to 255); a full tile holds 256 hashes.
public struct TilePath: Sendable, Hashable, CustomStringConvertible {
    /// How many hashes (or entries) a full tile holds.
    public static let fullWidth = 256

    /// A tile of hashes at a level, or an entry bundle.
    public enum Kind: Sendable, Hashable {
        case hashes(level: Int)
        case entries
    }

    public let kind: Kind
    /// The tile's index within its level.
    public let index: Int
    /// How many hashes or entries it holds, 1 to 256 (256: a full tile).
    public let width: Int

    public init(_ kind: Kind, index: Int, width: Int = TilePath.fullWidth) {
        self.kind = kind
        self.index = index
        self.width = width
    }

    /// The tile's level; an entry bundle stands beside level 0.
    public var level: Int {
        if case .hashes(let level) = kind { level } else { 0 }
    }

    /// Whether the tile holds fewer than 256 hashes.
    public var isPartial: Bool { width < Self.fullWidth }

    /// The path, such as `tile/1/x001/234.p/17` or `tile/entries/000`.
    public var path: String {
        let head =
            switch kind {
            case .hashes(let level): "tile/\(level)/"
            case .entries: "tile/entries/"
            }
        return head + Self.encode(index: index) + (isPartial ? ".p/\(width)" : "")
    }

    public var description: String { path }

    /// `<N>` of a path: 3-digit groups, all but the last prefixed with `x`.
    public static func encode(index: Int) -> String {
        var groups: [String] = []
        var rest = index
        repeat {
            let group = String(rest % 1000)
            groups.insert(String(repeating: "0", count: 3 - group.count) + group, at: 0)
            rest /= 1000
        } while rest > 0
        return groups.dropLast().map { "x" + $0 + "/" }.joined() + (groups.last ?? "000")
    }

    /// Parses a path relative to the log's prefix (`tile/…`); anything but the canonical form is refused.
    public init(path: String) throws(CountLogError) {
        let refused = CountLogError(
            .malformedTilePath, reason: "not a tlog-tiles path: tile/LEVEL/N or tile/entries/N, N as x001/x234/067, and .p/WIDTH for a partial tile")
        var parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 3, parts[0] == "tile" else { throw refused }
        let kind: Kind
        if parts[1] == "entries" {
            kind = .entries
        } else {
            guard let level = Self.decimal(parts[1]), level <= 63 else { throw refused }
            kind = .hashes(level: level)
        }
        parts.removeFirst(2)
        var width = Self.fullWidth
        if parts.count >= 2, parts[parts.count - 2].hasSuffix(".p") {
            guard let partial = Self.decimal(parts[parts.count - 1]), (1..<Self.fullWidth).contains(partial) else { throw refused }
            width = partial
            parts.removeLast()
            parts[parts.count - 1].removeLast(2)
        }
        var index = 0
        for (position, part) in parts.enumerated() {
            let digits = position < parts.count - 1 ? (part.hasPrefix("x") ? String(part.dropFirst()) : "") : part
            guard digits.utf8.count == 3, digits.utf8.allSatisfy({ (48...57).contains($0) }), let group = Int(digits) else { throw refused }
            guard index <= (Self.maximumIndex - group) / 1000 else { throw refused }
            index = index * 1000 + group
        }
        self.init(kind, index: index, width: width)
        guard self.path == path else { throw refused }
    }

    /// The largest tile index a path may name: its first entry, `index × 256`, must be a number (a log of 2^55 entries is
    /// far beyond any petition), so a hostile path cannot make that product overflow and stop the process.
    public static let maximumIndex = Int.max / fullWidth / fullWidth

    private static func decimal(_ text: String) -> Int? {
        guard let value = Int(text), value >= 0, String(value) == text else { return nil }
        return value
    }
}
