import Foundation

/// Base64url without padding (RFC 4648 §5), the text form of tokens.
public enum Base64URL {
    public static func encode(_ bytes: [UInt8]) -> String {
        var text = Data(bytes).base64EncodedString()
        text = text.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        while text.hasSuffix("=") { text.removeLast() }
        return text
    }

    /// Decodes strictly: padding, characters outside the url-safe alphabet and non-canonical trailing bits
    /// are refused, so that one byte string has exactly one text form.
    public static func decode(_ text: String) throws(CryptoError) -> [UInt8] {
        guard text.utf8.allSatisfy({ byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"): true
            default: false
            }
        }) else {
            throw CryptoError(.invalidEncoding, reason: "base64url text may hold only A-Z a-z 0-9 - _ and no padding")
        }
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        standard += String(repeating: "=", count: (4 - standard.utf8.count % 4) % 4)
        guard let data = Data(base64Encoded: standard), encode(Array(data)) == text else {
            throw CryptoError(.invalidEncoding, reason: "not canonical base64url text")
        }
        return Array(data)
    }
}
