import CountersignCrypto
import Foundation
import Testing

@Suite("SecretBytes")
struct SecretBytesTests {
    @Test("hex decodes straight in and round-trips; odd lengths and non-hex digits are refused")
    func hex() throws {
        let secret = try SecretBytes.hex("00ff7A")
        #expect(secret.count == 3)
        #expect(secret.hexEncoded == "00ff7a")
        #expect(throws: CryptoError(.invalidEncoding, reason: "")) { try SecretBytes.hex("abc") }
        #expect(throws: CryptoError(.invalidEncoding, reason: "")) { try SecretBytes.hex("zz") }
    }

    @Test("equality compares the bytes, not the objects")
    func equality() throws {
        #expect(SecretBytes(copying: [1, 2, 3]) == SecretBytes(copying: [1, 2, 3]))
        #expect(SecretBytes(copying: [1, 2, 3]) != SecretBytes(copying: [1, 2, 4]))
        #expect(SecretBytes(copying: [1, 2, 3]) != SecretBytes(copying: [1, 2]))
        #expect(try SecretBytes.random(count: 32) != SecretBytes.random(count: 32))
    }

    @Test("neither description, interpolation nor dump shows the bytes")
    func neverPrinted() throws {
        let secret = try SecretBytes.hex(String(repeating: "ab", count: 32))
        var dumped = ""
        dump(secret, to: &dumped)
        for text in [secret.description, "\(secret)", String(reflecting: secret), dumped] {
            #expect(!text.lowercased().contains("abab"))
            #expect(!text.contains("171"))
        }
    }

    @Test("a key entry holds a reference to its material: copying the entry copies no key bytes")
    func entriesShareMaterial() throws {
        let keyring = try Keyring.generate(now: Date())
        let entry = try #require(keyring.keys.first)
        let copy = entry
        #expect(try #require(entry.material) === #require(copy.material))
        let reloaded = try JSONDecoder().decode(KeyEntry.self, from: JSONEncoder().encode(entry))
        #expect(reloaded.material == entry.material)
        #expect(try #require(reloaded.material) !== #require(entry.material))
    }
}
