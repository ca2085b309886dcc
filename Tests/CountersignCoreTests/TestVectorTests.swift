import CountersignCore
import CountersignCrypto
import Foundation
import Testing

/// Checks every vector in `Keys/test-vectors.json`, the file auditors recompute with Python
/// (`Tests/vectors/vectors.py check`).
@Suite("Public test vectors")
struct TestVectorTests {
    struct Vectors: Decodable {
        struct CanonicalEmailCase: Decodable {
            let input: String
            let canonical: String?
            let error: String?
        }

        struct PseudonymCase: Decodable {
            let key, salt, email, canonical, pseudonym: String
        }

        struct TokenCase: Decodable {
            let key: String
            let kid: UInt32
            let purpose: String
            let id: String
            let expires: UInt64
            let token: String
        }

        struct WrapCase: Decodable {
            let master: String
            let kid: UInt32
            let nonce, slug: String
            let petitionKey, wrapped: String

            enum CodingKeys: String, CodingKey {
                case master, kid, nonce, slug, petitionKey = "petition_key", wrapped
            }
        }

        struct FingerprintCase: Decodable {
            let key, fingerprint: String
        }

        let canonicalEmail: [CanonicalEmailCase]
        let pseudonym: [PseudonymCase]
        let token: [TokenCase]
        let petitionKeyWrap: [WrapCase]
        let fingerprint: [FingerprintCase]

        enum CodingKeys: String, CodingKey {
            case canonicalEmail = "canonical_email", pseudonym, token, petitionKeyWrap = "petition_key_wrap", fingerprint
        }
    }

    static let vectors: Vectors = {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Keys/test-vectors.json")
        do {
            return try JSONDecoder().decode(Vectors.self, from: Data(contentsOf: url))
        } catch {
            fatalError("cannot read \(url.path): \(error)")
        }
    }()

    @Test("the file holds enough cases of each kind")
    func coverage() {
        #expect(Self.vectors.canonicalEmail.count >= 30)
        #expect(Self.vectors.canonicalEmail.contains { $0.error != nil })
        #expect(Self.vectors.canonicalEmail.contains { $0.canonical?.contains("xn--") == true })
        #expect(Self.vectors.canonicalEmail.contains { $0.canonical?.hasSuffix("@gmail.com") == true })
        #expect(!Self.vectors.pseudonym.isEmpty && !Self.vectors.token.isEmpty && !Self.vectors.petitionKeyWrap.isEmpty)
    }

    @Test("canonical_email: every input canonicalizes to the vector, or fails the named rule")
    func canonicalEmail() {
        for vector in Self.vectors.canonicalEmail {
            do {
                let canonical = try CanonicalEmail(vector.input)
                #expect(canonical.value == vector.canonical, "input \(vector.input.debugDescription)")
                #expect(vector.error == nil, "input \(vector.input.debugDescription) should fail \(vector.error ?? "")")
            } catch {
                #expect(error.rule.rawValue == vector.error, "input \(vector.input.debugDescription)")
            }
        }
    }

    @Test("pseudonym: HMAC-SHA256(K_p, label ‖ 0x00 ‖ salt ‖ canonical email)")
    func pseudonym() throws {
        for vector in Self.vectors.pseudonym {
            let email = try CanonicalEmail(vector.email)
            #expect(email.value == vector.canonical)
            let generator = try PseudonymGenerator(petitionKey: SecretBytes.hex(vector.key), salt: Hex.decode(vector.salt))
            #expect(Hex.encode(try generator.pseudonym(for: email).bytes) == vector.pseudonym)
        }
    }

    @Test("token: minted bytes match, and each vector verifies with its own fields")
    func token() throws {
        for vector in Self.vectors.token {
            let purpose = try #require(vector.purpose == "confirm" ? TokenPurpose.confirm : vector.purpose == "withdraw" ? .withdraw : nil)
            let authority = try TokenAuthority(
                keys: [.init(kid: vector.kid, status: .primary, material: SecretBytes.hex(vector.key))], primaryKid: vector.kid)
            let minted = try authority.issue(purpose, expires: vector.expires, id: Hex.decode(vector.id))
            #expect(minted.text == vector.token)
            if vector.expires > 0 {
                let verified = try authority.verify(vector.token, for: purpose, now: vector.expires - 1)
                #expect(verified == Token(purpose: purpose, kid: vector.kid, id: try Hex.decode(vector.id), expires: vector.expires))
            } else {
                #expect(throws: TokenError.expired()) { try authority.verify(vector.token, for: purpose, now: 0) }
            }
        }
    }

    @Test("petition_key_wrap: wrapping matches and unwrapping returns the petition key")
    func petitionKeyWrap() throws {
        for vector in Self.vectors.petitionKeyWrap {
            let slug = try PetitionSlug(vector.slug)
            let wrapped = try WrappedPetitionKey.wrap(
                SecretBytes.hex(vector.petitionKey), slug: slug, masterKid: vector.kid, master: SecretBytes.hex(vector.master),
                nonce: Hex.decode(vector.nonce))
            #expect(Hex.encode(wrapped.bytes) == vector.wrapped)
            #expect(wrapped.kid == vector.kid)
            let stored = try WrappedPetitionKey(bytes: Hex.decode(vector.wrapped))
            #expect(try stored.unwrap(slug: slug, master: SecretBytes.hex(vector.master)).hexEncoded == vector.petitionKey)
        }
    }

    @Test("fingerprint: first 8 bytes of HMAC-SHA256(key, label), in hex")
    func fingerprint() throws {
        for vector in Self.vectors.fingerprint {
            #expect(try KeyFingerprint.of(SecretBytes.hex(vector.key)) == vector.fingerprint)
        }
    }
}
