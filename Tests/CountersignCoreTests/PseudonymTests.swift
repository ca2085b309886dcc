import CountersignCore
import CountersignCrypto
import PropertyBased
import Testing

@Suite("Pseudonyms")
struct PseudonymTests {
    static let bytes32 = Gen.uint8().array(of: 32)
    static let bytes16 = Gen.uint8().array(of: 16)

    @Test("property: a pseudonym depends on both the petition key and the salt")
    func dependsOnKeyAndSalt() async throws {
        let email = try CanonicalEmail("signer@example.com")
        await propertyCheck(count: 200, input: Self.bytes32, Self.bytes32, Self.bytes16, Self.bytes16) { key, otherKey, salt, otherSalt in
            // propertyCheck swallows an error thrown by its body, so every error is recorded here.
            do {
                let base = try PseudonymGenerator(petitionKey: SecretBytes(copying: key), salt: salt).pseudonym(for: email)
                #expect(base.bytes.count == Pseudonym.length)
                if key != otherKey {
                    #expect(try PseudonymGenerator(petitionKey: SecretBytes(copying: otherKey), salt: salt).pseudonym(for: email) != base)
                }
                if salt != otherSalt {
                    #expect(try PseudonymGenerator(petitionKey: SecretBytes(copying: key), salt: otherSalt).pseudonym(for: email) != base)
                }
            } catch {
                Issue.record("computing a pseudonym failed: \(error)")
            }
        }
    }

    @Test("spellings of one mailbox share a pseudonym; different mailboxes do not")
    func canonicalSpellings() throws {
        let generator = try PseudonymGenerator(petitionKey: SecretBytes(copying: Array(repeating: 1, count: 32)), salt: Array(repeating: 2, count: 16))
        let a = try generator.pseudonym(for: CanonicalEmail("Jane.Doe+petitions@GoogleMail.com"))
        let b = try generator.pseudonym(for: CanonicalEmail("janedoe@gmail.com"))
        let c = try generator.pseudonym(for: CanonicalEmail("janedoe@example.com"))
        #expect(a == b)
        #expect(a != c)
    }

    @Test("stored pseudonyms of the wrong length and petition keys or salts of the wrong length are refused")
    func lengths() {
        #expect(throws: PseudonymError.self) { try Pseudonym(bytes: Array(repeating: 0, count: 31)) }
        #expect(throws: CryptoError.self) { try PseudonymGenerator(petitionKey: SecretBytes(copying: Array(repeating: 0, count: 16)), salt: Array(repeating: 0, count: 16)) }
        #expect(throws: CryptoError.self) { try PseudonymGenerator(petitionKey: SecretBytes(copying: Array(repeating: 0, count: 32)), salt: Array(repeating: 0, count: 8)) }
    }
}
