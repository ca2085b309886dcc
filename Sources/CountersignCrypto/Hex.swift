/// Lowercase hexadecimal, the encoding of every byte field in test vectors, fingerprints and the keyring.
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    /// Encodes bytes as lowercase hex.
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes hex (either case); throws on an odd length or a non-hex character.
    public static func decode(_ text: String) throws(CryptoError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: try decodedLength(of: text))
        // `withUnsafeMutableBytes` rethrows untyped, so the typed error is carried out as a value.
        let failure: CryptoError? = out.withUnsafeMutableBytes { buffer in
            do throws(CryptoError) {
                try decode(text, into: buffer)
                return nil
            } catch {
                return error
            }
        }
        if let failure { throw failure }
        return out
    }

    /// The number of bytes `text` decodes to; throws on an odd number of digits.
    static func decodedLength(of text: String) throws(CryptoError) -> Int {
        let digits = text.utf8.count
        guard digits % 2 == 0 else {
            throw CryptoError(.invalidEncoding, reason: "hex text has an odd number of digits (\(digits))")
        }
        return digits / 2
    }

    /// Decodes `text` into `buffer`, which has ``decodedLength(of:)`` bytes, without an intermediate array
    /// (``SecretBytes`` decodes key material this way).
    static func decode(_ text: String, into buffer: UnsafeMutableRawBufferPointer) throws(CryptoError) {
        var offset = 0
        var high: UInt8?
        for character in text.utf8 {
            guard let value = nibble(character) else {
                throw CryptoError(.invalidEncoding, reason: "hex text has a non-hex character at offset \(offset * 2 + (high == nil ? 0 : 1))")
            }
            if let first = high {
                buffer[offset] = first << 4 | value
                offset += 1
                high = nil
            } else {
                high = value
            }
        }
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
