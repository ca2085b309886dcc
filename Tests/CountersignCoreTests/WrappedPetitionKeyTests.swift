import CountersignCore
import CountersignCrypto
import Foundation
import Testing

@Suite("Wrapped petition keys")
struct WrappedPetitionKeyTests {
    let slug = try! PetitionSlug("amazon-cut-ties-with-police-and-ice")
    let petitionKey = SecretBytes(copying: Array(repeating: UInt8(0x5c), count: 32))

    @Test("a key wrapped under the keyring's primary master opens under the keyring")
    func keyringRoundTrip() throws {
        let keyring = try Keyring.generate(now: Date())
        let wrapped = try WrappedPetitionKey.wrap(petitionKey, slug: slug, keyring: keyring)
        #expect(wrapped.bytes.count == 64)
        #expect(wrapped.kid == (try keyring.primary(.master).kid))
        #expect(try wrapped.unwrap(slug: slug, keyring: keyring) == petitionKey)
    }

    @Test("after a master rotation the old master still unwraps, as verify-only")
    func afterRotation() throws {
        var keyring = try Keyring.generate(now: Date())
        let wrapped = try WrappedPetitionKey.wrap(petitionKey, slug: slug, keyring: keyring)
        try keyring.rotate(.master, now: Date())
        #expect(try wrapped.unwrap(slug: slug, keyring: keyring) == petitionKey)
    }

    @Test("another petition's slug, a flipped byte or an unknown master key is refused")
    func refusals() throws {
        let keyring = try Keyring.generate(now: Date())
        let wrapped = try WrappedPetitionKey.wrap(petitionKey, slug: slug, keyring: keyring)
        #expect(throws: PetitionKeyError.authenticationFailed(kid: wrapped.kid)) {
            try wrapped.unwrap(slug: PetitionSlug("another-petition"), keyring: keyring)
        }
        var bytes = wrapped.bytes
        bytes[20] ^= 1
        #expect(throws: PetitionKeyError.authenticationFailed(kid: wrapped.kid)) {
            try WrappedPetitionKey(bytes: bytes).unwrap(slug: slug, keyring: keyring)
        }
        let otherKeyring = try Keyring.generate(now: Date())
        #expect(throws: PetitionKeyError.unknownMasterKey(kid: wrapped.kid)) { try wrapped.unwrap(slug: slug, keyring: otherKeyring) }
        #expect(throws: PetitionKeyError.malformed(byteCount: 63)) { try WrappedPetitionKey(bytes: Array(bytes.dropLast())) }
    }

    @Test("a re-keying layer opens only as its own layer: never as the base key or another layer")
    func layersAreBound() throws {
        let keyring = try Keyring.generate(now: Date())
        let layer = try WrappedPetitionKey.wrap(petitionKey, slug: slug, keyring: keyring, layer: 0)
        #expect(try layer.unwrap(slug: slug, keyring: keyring, layer: 0) == petitionKey)
        #expect(throws: PetitionKeyError.authenticationFailed(kid: layer.kid)) { try layer.unwrap(slug: slug, keyring: keyring) }
        #expect(throws: PetitionKeyError.authenticationFailed(kid: layer.kid)) { try layer.unwrap(slug: slug, keyring: keyring, layer: 1) }
        let base = try WrappedPetitionKey.wrap(petitionKey, slug: slug, keyring: keyring)
        #expect(throws: PetitionKeyError.authenticationFailed(kid: base.kid)) { try base.unwrap(slug: slug, keyring: keyring, layer: 0) }
    }
}
