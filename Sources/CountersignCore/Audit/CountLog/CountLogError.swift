import CountersignCrypto

/// Why a count-log artefact (a receipt, a receipt code, a leaf, a tile, a tile path, a tlog-proof) was refused, or
/// why the count log could not be built. Each reason says what the artefact should look like or what to do.
///
/// Equality compares the ``code`` only (``CodedError``), so `CountLogError.malformedReceipt` matches every refused
/// receipt, while ``fileID`` and ``line`` say which check refused it.
public struct CountLogError: CodedError, Sendable {
    /// The kind of refusal.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Internal: String {
            case malformedReceipt = "malformed-receipt"
            case malformedReceiptCode = "malformed-receipt-code"
            case malformedEntry = "malformed-entry"
            case malformedTilePath = "malformed-tile-path"
            case malformedTile = "malformed-tile"
            case missingTile = "missing-tile"
            case malformedProof = "malformed-proof"
            case outOfRange = "out-of-range"
            case crypto
        }

        private let value: Internal

        /// The text is not a `receipt.json` (``Receipt``).
        public static var malformedReceipt: Self { .init(value: .malformedReceipt) }
        /// The text is not a receipt code, or its check digits do not match (a typo) (``Receipt/code``).
        public static var malformedReceiptCode: Self { .init(value: .malformedReceiptCode) }
        /// A leaf of the count log is not a ``CountEvent`` line.
        public static var malformedEntry: Self { .init(value: .malformedEntry) }
        /// A path is not a C2SP tlog-tiles path (``TilePath``).
        public static var malformedTilePath: Self { .init(value: .malformedTilePath) }
        /// A tile or entry bundle has the wrong length or does not parse.
        public static var malformedTile: Self { .init(value: .malformedTile) }
        /// A computation needed a tile the caller did not supply (``TiledTree``).
        public static var missingTile: Self { .init(value: .missingTile) }
        /// The text is not a `c2sp.org/tlog-proof@v1` proof (``TlogProof``).
        public static var malformedProof: Self { .init(value: .malformedProof) }
        /// An index or size lies outside the tree.
        public static var outOfRange: Self { .init(value: .outOfRange) }
        /// A hash or signature failed; the reason holds the cryptographic library's.
        public static var crypto: Self { .init(value: .crypto) }

        public var description: String { value.rawValue }
    }

    public let code: Code
    /// What was refused, what it should look like, and what to do.
    public let reason: String
    public let fileID: String
    public let line: UInt

    public init(_ code: Code, reason: String, fileID: String = #fileID, line: UInt = #line) {
        self.code = code
        self.reason = reason
        self.fileID = fileID
        self.line = line
    }

    /// A failed hash or signature, carrying the cryptographic library's reason.
    static func crypto(_ error: CryptoError, fileID: String = #fileID, line: UInt = #line) -> CountLogError {
        CountLogError(.crypto, reason: error.reason, fileID: fileID, line: line)
    }

    /// A refused receipt, to match against (`catch CountLogError.malformedReceipt`).
    public static var malformedReceipt: Self { .init(.malformedReceipt, reason: "") }
    /// A refused receipt code, to match against.
    public static var malformedReceiptCode: Self { .init(.malformedReceiptCode, reason: "") }
    /// A refused count-log leaf, to match against.
    public static var malformedEntry: Self { .init(.malformedEntry, reason: "") }
    /// A refused tile path, to match against.
    public static var malformedTilePath: Self { .init(.malformedTilePath, reason: "") }
    /// A refused tile or entry bundle, to match against.
    public static var malformedTile: Self { .init(.malformedTile, reason: "") }
    /// A missing tile, to match against.
    public static var missingTile: Self { .init(.missingTile, reason: "") }
    /// A refused tlog-proof, to match against.
    public static var malformedProof: Self { .init(.malformedProof, reason: "") }
    /// An index or size outside the tree, to match against.
    public static var outOfRange: Self { .init(.outOfRange, reason: "") }
}
