/// The shape rules a JSON body must meet before it is decoded: no object with the same key twice, and no nesting
/// deeper than ``maximumDepth``. `JSONDecoder` keeps the first of two equal keys silently, so `{"token":A,"token":B}`
/// would mean A here and B to a proxy or a log reader that keeps the last: a request must mean one thing.
enum StrictJSON {
    static let maximumDepth = 16

    /// Whether `bytes` is JSON with no duplicate key in any object and no nesting deeper than ``maximumDepth``.
    static func isAcceptable(_ bytes: [UInt8]) -> Bool {
        var parser = Parser(bytes: bytes)
        guard parser.value(depth: 0) else { return false }
        parser.skipSpace()
        return parser.index == bytes.count
    }

    private struct Parser {
        let bytes: [UInt8]
        var index = 0

        mutating func skipSpace() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }

        /// A value inside `depth` open objects and arrays.
        mutating func value(depth: Int) -> Bool {
            skipSpace()
            guard index < bytes.count else { return false }
            switch bytes[index] {
            case UInt8(ascii: "{"): return object(depth: depth + 1)
            case UInt8(ascii: "["): return array(depth: depth + 1)
            case UInt8(ascii: "\""): return string() != nil
            default: return scalar()
            }
        }

        mutating func object(depth: Int) -> Bool {
            guard depth <= StrictJSON.maximumDepth else { return false }
            index += 1
            var keys = Set<String>()
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                index += 1
                return true
            }
            while true {
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\""), let key = string(), keys.insert(key).inserted else { return false }
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return false }
                index += 1
                guard value(depth: depth) else { return false }
                skipSpace()
                guard index < bytes.count else { return false }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                } else {
                    guard bytes[index] == UInt8(ascii: "}") else { return false }
                    index += 1
                    return true
                }
            }
        }

        mutating func array(depth: Int) -> Bool {
            guard depth <= StrictJSON.maximumDepth else { return false }
            index += 1
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                index += 1
                return true
            }
            while true {
                guard value(depth: depth) else { return false }
                skipSpace()
                guard index < bytes.count else { return false }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                } else {
                    guard bytes[index] == UInt8(ascii: "]") else { return false }
                    index += 1
                    return true
                }
            }
        }

        /// A string, unescaped, so that `"token"` and `"\u0074oken"` are the same key.
        mutating func string() -> String? {
            index += 1
            var scalars = String.UnicodeScalarView()
            var raw: [UInt8] = []
            func flush() -> Bool {
                guard !raw.isEmpty else { return true }
                guard let text = String(validating: raw, as: UTF8.self) else { return false }
                scalars.append(contentsOf: text.unicodeScalars)
                raw.removeAll()
                return true
            }
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                switch byte {
                case UInt8(ascii: "\""):
                    return flush() ? String(scalars) : nil
                case UInt8(ascii: "\\"):
                    guard flush(), index < bytes.count else { return nil }
                    let escape = bytes[index]
                    index += 1
                    switch escape {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scalars.append(Unicode.Scalar(escape))
                    case UInt8(ascii: "b"): scalars.append("\u{8}")
                    case UInt8(ascii: "f"): scalars.append("\u{C}")
                    case UInt8(ascii: "n"): scalars.append("\n")
                    case UInt8(ascii: "r"): scalars.append("\r")
                    case UInt8(ascii: "t"): scalars.append("\t")
                    case UInt8(ascii: "u"):
                        guard index + 4 <= bytes.count, let unit = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16) else {
                            return nil
                        }
                        index += 4
                        // A lone or paired surrogate stands for itself here: two keys differing in one are still two keys.
                        scalars.append(Unicode.Scalar(unit) ?? "\u{FFFD}")
                    default: return nil
                    }
                default:
                    guard byte >= 0x20 else { return nil }
                    raw.append(byte)
                }
            }
            return nil
        }

        mutating func scalar() -> Bool {
            let start = index
            while index < bytes.count, !",]} \t\r\n".utf8.contains(bytes[index]) { index += 1 }
            let token = String(decoding: bytes[start..<index], as: UTF8.self)
            return ["true", "false", "null"].contains(token) || Double(token) != nil
        }
    }
}
