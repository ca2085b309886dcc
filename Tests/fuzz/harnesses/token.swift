import CountersignCore
import CountersignCrypto

/// Token parser (`TokenAuthority.verify` over `Base64URL` and the `Token` layout).
///
/// - Any text is refused with a `TokenError` or accepted; an accepted token, minted again from its fields under its key,
///   is the same text (one token, one text form).
/// - Base64url is strict: text that decodes is the encoding of what it decodes to, and any bytes survive a round trip.
/// - A token minted from fuzz-chosen fields (purpose, id, expiry) verifies to exactly those fields before its expiry,
///   is refused for the other purpose and once expired, and is refused after any one character of it is changed.
@_cdecl("LLVMFuzzerTestOneInput")
public func tokenFuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = fuzzText(data, size)
    let bytes = fuzzBytes(data, size)
    checkParsedText(text)
    checkBase64URL(text: text, bytes: bytes)
    checkMinted(from: bytes)
    return 0
}

/// The token keys of `Keys/test-vectors.json` (so that its tokens verify), one verify-only and one disabled.
private let tokenKeys: [TokenAuthority.Key] = [
    key(kid: 16_909_060, status: .primary, hex: "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"),
    key(kid: 4_294_967_295, status: .verifyOnly, hex: String(repeating: "ff", count: 32)),
    key(kid: 7, status: .verifyOnly, hex: "6465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f80818283"),
    key(kid: 8, status: .disabled, hex: String(repeating: "08", count: 32)),
]
/// Before the test vectors' expiry times, except the one that expires at 0.
private let now: UInt64 = 1_700_000_000
private let verifier = authority(primaryKid: 16_909_060)
/// One authority per usable key, minting under it, to mint an accepted token again.
private let minters: [UInt32: TokenAuthority] = [
    16_909_060: verifier, 4_294_967_295: authority(primaryKid: 4_294_967_295), 7: authority(primaryKid: 7),
]

private func checkParsedText(_ text: String) {
    for purpose in TokenPurpose.allCases {
        guard let token = try? verifier.verify(text, for: purpose, now: now) else { continue }
        fuzzProperty(token.purpose == purpose && now < token.expires, "accepted a token for another purpose or expired")
        guard let minter = minters[token.kid] else {
            fuzzProperty(false, "accepted a token under key \(token.kid), which is not usable")
            return
        }
        let again = try? minter.issue(purpose, expires: token.expires, id: token.id).text
        fuzzProperty(again == text, "accepted \(text), which mints again as \(again ?? "an error")")
    }
}

private func checkBase64URL(text: String, bytes: [UInt8]) {
    if let decoded = try? Base64URL.decode(text) {
        fuzzProperty(Base64URL.encode(decoded) == text, "base64url accepted the non-canonical text \(text)")
    }
    let encoded = Base64URL.encode(bytes)
    fuzzProperty((try? Base64URL.decode(encoded)) == bytes, "base64url does not round-trip \(bytes)")
}

/// Input layout: purpose byte, 16 id bytes, 8 expiry bytes (big-endian), then the index and value of a character to change.
private func checkMinted(from bytes: [UInt8]) {
    guard bytes.count >= 25, let purpose = TokenPurpose(rawValue: bytes[0] % 2 + 1) else { return }
    let id = Array(bytes[1..<17])
    let expires = bytes[17..<25].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    guard expires > 0, let minted = try? verifier.issue(purpose, expires: expires, id: id) else {
        fuzzProperty(expires == 0, "cannot mint a token expiring at \(expires)")
        return
    }
    let text = minted.text
    fuzzProperty(text.utf8.count == Token.textLength, "minted \(text), not \(Token.textLength) characters")
    let verified = try? verifier.verify(text, for: purpose, now: expires - 1)
    fuzzProperty(verified == minted.token, "minted \(text) verifies as \(String(describing: verified))")
    let other: TokenPurpose = purpose == .confirm ? .withdraw : .confirm
    fuzzProperty(refusal(text, other, expires - 1) == .wrongPurpose, "\(text) is not refused for the other purpose")
    fuzzProperty(refusal(text, purpose, expires) == .expired, "\(text) is not refused at its expiry")
    guard bytes.count >= 27 else { return }
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    var changed = Array(text.utf8)
    let index = Int(bytes[25]) % changed.count
    let replacement = alphabet[Int(bytes[26]) % alphabet.count]
    guard changed[index] != replacement else { return }
    changed[index] = replacement
    let tampered = String(decoding: changed, as: UTF8.self)
    fuzzProperty(refusal(tampered, purpose, expires - 1) != nil, "\(tampered), \(text) with one character changed, verifies")
}

private func refusal(_ text: String, _ purpose: TokenPurpose, _ now: UInt64) -> TokenError.Code? {
    do {
        _ = try verifier.verify(text, for: purpose, now: now)
        return nil
    } catch {
        return error.code
    }
}

private func key(kid: UInt32, status: KeyStatus, hex: String) -> TokenAuthority.Key {
    do {
        return TokenAuthority.Key(kid: kid, status: status, material: try SecretBytes.hex(hex))
    } catch {
        fatalError("harness key \(kid): \(error)")
    }
}

private func authority(primaryKid: UInt32) -> TokenAuthority {
    let keys = tokenKeys.map { key in
        let status: KeyStatus = key.kid == primaryKid ? .primary : key.status == .disabled ? .disabled : .verifyOnly
        return TokenAuthority.Key(kid: key.kid, status: status, material: key.material)
    }
    do {
        return try TokenAuthority(keys: keys, primaryKid: primaryKid)
    } catch {
        fatalError("harness authority \(primaryKid): \(error)")
    }
}
