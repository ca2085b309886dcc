import CountersignCore
import CountersignCrypto
import Foundation
import PropertyBased
import Testing

@Suite("Tokens")
struct TokenTests {
    static let now: UInt64 = 1_800_000_000
    static let key = SecretBytes(copying: Array(repeating: UInt8(0x42), count: 32))

    static func authority() throws -> TokenAuthority {
        try TokenAuthority(keys: [.init(kid: 7, status: .primary, material: key)], primaryKid: 7)
    }

    @Test("a minted token is 83 base64url characters and verifies for its purpose before expiry")
    func roundTrip() throws {
        let authority = try Self.authority()
        let minted = try authority.issue(.confirm, expires: Self.now + UInt64(Token.defaultLifetime.components.seconds))
        #expect(minted.text.count == 83)
        #expect(try authority.verify(minted.text, for: .confirm, now: Self.now) == minted.token)
    }

    @Test("each rejection is its own error, checked in order")
    func rejections() throws {
        let authority = try Self.authority()
        let minted = try authority.issue(.confirm, expires: Self.now + 60)
        var bytes = try Base64URL.decode(minted.text)

        #expect(throws: TokenError.malformed()) { try authority.verify(String(minted.text.dropLast()), for: .confirm, now: Self.now) }
        #expect(throws: TokenError.malformed()) { try authority.verify(minted.text + "A", for: .confirm, now: Self.now) }
        #expect(throws: TokenError.malformed()) { try authority.verify(String(repeating: "*", count: 83), for: .confirm, now: Self.now) }

        bytes[0] = 0x02
        let version = #expect(throws: TokenError.unsupportedVersion(2)) { try authority.verify(Base64URL.encode(bytes), for: .confirm, now: Self.now) }
        #expect(version?.reason.contains("version 2") == true)
        bytes[0] = 0x01
        bytes[5] = 0x08
        let unknown = #expect(throws: TokenError.unknownKey(kid: 8)) { try authority.verify(Base64URL.encode(bytes), for: .confirm, now: Self.now) }
        #expect(unknown?.reason.contains("key 8 ") == true)
        bytes[5] = 0x07
        bytes[10] ^= 0xff
        #expect(throws: TokenError.badTag()) { try authority.verify(Base64URL.encode(bytes), for: .confirm, now: Self.now) }

        #expect(throws: TokenError.wrongPurpose()) { try authority.verify(minted.text, for: .withdraw, now: Self.now) }
        // An expired token with a bad tag reports the tag: expiry is judged only on authentic tokens.
        #expect(throws: TokenError.expired()) { try authority.verify(minted.text, for: .confirm, now: Self.now + 60) }
        #expect(throws: TokenError.badTag()) { try authority.verify(Base64URL.encode(bytes), for: .confirm, now: Self.now + 60) }
    }

    @Test("a verify-only key still verifies; a disabled or destroyed key does not")
    func keyStatus() throws {
        let old = try TokenAuthority(keys: [.init(kid: 7, status: .primary, material: Self.key)], primaryKid: 7)
        let minted = try old.issue(.withdraw, expires: Self.now + 60)
        let newKey = TokenAuthority.Key(kid: 9, status: .primary, material: SecretBytes(copying: Array(repeating: 1, count: 32)))
        let rotated = try TokenAuthority(keys: [.init(kid: 7, status: .verifyOnly, material: Self.key), newKey], primaryKid: 9)
        #expect(try rotated.verify(minted.text, for: .withdraw, now: Self.now).kid == 7)
        #expect(try rotated.issue(.confirm, expires: Self.now + 60).token.kid == 9)
        for status in [KeyStatus.disabled, .destroyed] {
            let material: SecretBytes? = status == .destroyed ? nil : Self.key
            let refused = try TokenAuthority(keys: [.init(kid: 7, status: status, material: material), newKey], primaryKid: 9)
            #expect(throws: TokenError.keyNotUsable(kid: 7)) { try refused.verify(minted.text, for: .withdraw, now: Self.now) }
        }
    }

    @Test("the authority built from a keyring mints under the primary token key")
    func fromKeyring() throws {
        var keyring = try Keyring.generate(now: Date(timeIntervalSince1970: TimeInterval(Self.now)))
        let before = try TokenAuthority(keyring: keyring).issue(.confirm, expires: Self.now + 60)
        try keyring.rotate(.token, now: Date(timeIntervalSince1970: TimeInterval(Self.now)))
        let authority = try TokenAuthority(keyring: keyring)
        #expect(try authority.issue(.confirm, expires: Self.now + 60).token.kid == keyring.primary(.token).kid)
        #expect(try authority.verify(before.text, for: .confirm, now: Self.now).kid == before.token.kid)
    }

    @Test("property: any id and expiry round-trips")
    func propertyRoundTrip() async throws {
        let authority = try Self.authority()
        await propertyCheck(count: 200, input: Gen.uint8().array(of: 16), Gen.uint64(in: (Self.now + 1)...UInt64.max)) { id, expires in
            // propertyCheck swallows an error thrown by its body, so every error is recorded here.
            do {
                let minted = try authority.issue(.confirm, expires: expires, id: id)
                #expect(try authority.verify(minted.text, for: .confirm, now: Self.now) == minted.token)
            } catch {
                Issue.record("a valid token did not round-trip: \(error)")
            }
        }
    }

    @Test("property: any flipped bit or any truncation is rejected")
    func propertyTamper() async throws {
        let authority = try Self.authority()
        let minted = try authority.issue(.confirm, expires: Self.now + 3600)
        let bytes = try Base64URL.decode(minted.text)
        await propertyCheck(count: 300, input: Gen.int(in: 0...(bytes.count * 8 - 1))) { bit in
            var flipped = bytes
            flipped[bit / 8] ^= 1 << UInt8(bit % 8)
            #expect(throws: TokenError.self) { try authority.verify(Base64URL.encode(flipped), for: .confirm, now: Self.now) }
        }
        await propertyCheck(count: 83, input: Gen.int(in: 0...82)) { length in
            #expect(throws: TokenError.malformed()) { try authority.verify(String(minted.text.prefix(length)), for: .confirm, now: Self.now) }
        }
    }
}
