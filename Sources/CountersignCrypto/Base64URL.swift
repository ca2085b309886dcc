import COpenSSL

/// Base64url without padding (RFC 4648 §5), the text form of tokens, through OpenSSL's
/// `EVP_EncodeBlock` and `EVP_DecodeBlock`.
public enum Base64URL {
    public static func encode(_ bytes: [UInt8]) -> String {
        guard !bytes.isEmpty else { return "" }
        var block = [UInt8](repeating: 0, count: (bytes.count + 2) / 3 * 4 + 1)
        let length = Int(EVP_EncodeBlock(&block, bytes, Int32(bytes.count)))
        var text = block.prefix(length)
        while text.last == UInt8(ascii: "=") { text.removeLast() }
        return String(decoding: text.map(toURLSafe), as: UTF8.self)
    }

    /// Decodes strictly: padding, characters outside the url-safe alphabet and non-canonical trailing bits
    /// are refused, so that one byte string has exactly one text form.
    public static func decode(_ text: String) throws(CryptoError) -> [UInt8] {
        var block: [UInt8] = []
        block.reserveCapacity(text.utf8.count + 3)
        for byte in text.utf8 {
            guard let standard = fromURLSafe(byte) else {
                throw CryptoError(.invalidEncoding, reason: "base64url text may hold only A-Z a-z 0-9 - _ and no padding")
            }
            block.append(standard)
        }
        guard block.count % 4 != 1 else { throw CryptoError(.invalidEncoding, reason: "base64url text has an impossible length") }
        let padding = (4 - block.count % 4) % 4
        block += repeatElement(UInt8(ascii: "="), count: padding)
        guard !block.isEmpty else { return [] }
        var bytes = [UInt8](repeating: 0, count: block.count / 4 * 3)
        let decoded = EVP_DecodeBlock(&bytes, block, Int32(block.count))
        guard decoded >= 0 else { throw CryptoError(.invalidEncoding, reason: "not base64url text") }
        bytes.removeLast(padding)
        guard encode(bytes).utf8.elementsEqual(text.utf8) else {
            throw CryptoError(.invalidEncoding, reason: "not canonical base64url text")
        }
        return bytes
    }

    private static func toURLSafe(_ byte: UInt8) -> UInt8 {
        switch byte {
        case UInt8(ascii: "+"): UInt8(ascii: "-")
        case UInt8(ascii: "/"): UInt8(ascii: "_")
        default: byte
        }
    }

    private static func fromURLSafe(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): byte
        case UInt8(ascii: "-"): UInt8(ascii: "+")
        case UInt8(ascii: "_"): UInt8(ascii: "/")
        default: nil
        }
    }
}
