import COpenSSL
@testable import CountersignCrypto
import Testing

/// Known-answer tests from the RFCs and NIST, one suite a primitive.
@Suite("HMAC-SHA256 (RFC 4231)")
struct HMACSHA256Tests {
    // RFC 4231 §4.2–4.8; test case 5 (truncated output) does not apply.
    static let cases: [(key: String, data: String, mac: String)] = [
        (String(repeating: "0b", count: 20), "4869205468657265",
         "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        ("4a656665", "7768617420646f2079612077616e7420666f72206e6f7468696e673f",
         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        (String(repeating: "aa", count: 20), String(repeating: "dd", count: 50),
         "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
        ("0102030405060708090a0b0c0d0e0f10111213141516171819", String(repeating: "cd", count: 50),
         "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
        (String(repeating: "aa", count: 131),
         "54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a65204b6579202d2048617368204b6579204669727374",
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
        (String(repeating: "aa", count: 131),
         "5468697320697320612074657374207573696e672061206c6172676572207468616e20626c6f636b2d73697a65206b657920616e642061206c6172676572207468616e20626c6f636b2d73697a6520646174612e20546865206b6579206e6565647320746f20626520686173686564206265666f7265206265696e6720757365642062792074686520484d414320616c676f726974686d2e",
         "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
    ]

    @Test("RFC 4231 test cases", arguments: cases.indices)
    func rfc4231(index: Int) throws {
        let vector = Self.cases[index]
        let mac = try HMACSHA256(key: SecretBytes.hex(vector.key))
        #expect(Hex.encode(try mac.authenticate(Hex.decode(vector.data))) == vector.mac)
    }

    @Test("authenticating parts equals authenticating their concatenation, and the key context is reusable")
    func partsAndReuse() throws {
        let mac = try HMACSHA256(key: SecretBytes.hex("4a656665"))
        let whole = try mac.authenticate(Array("what do ya want for nothing?".utf8))
        #expect(try mac.authenticate(Array("what do ya ".utf8), [], Array("want for nothing?".utf8)) == whole)
        #expect(try mac.authenticate(Array("what do ya want for nothing?".utf8)) == whole)
    }

    @Test("an empty key is refused")
    func emptyKey() {
        #expect(throws: CryptoError(.invalidKeyLength, reason: "")) { try HMACSHA256(key: SecretBytes(copying: [])) }
    }
}

@Suite("HKDF-SHA256 (RFC 5869)")
struct HKDFTests {
    @Test("RFC 5869 test case 1")
    func case1() throws {
        let okm = try HKDF.sha256(
            inputKeyMaterial: Hex.decode(String(repeating: "0b", count: 22)),
            salt: Hex.decode("000102030405060708090a0b0c"), info: Hex.decode("f0f1f2f3f4f5f6f7f8f9"), length: 42)
        #expect(Hex.encode(okm) == "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865")
    }

    @Test("RFC 5869 test case 2 (long inputs)")
    func case2() throws {
        let okm = try HKDF.sha256(
            inputKeyMaterial: Array(0x00...0x4f), salt: Array(0x60...0xaf), info: Array(0xb0...0xff), length: 82)
        #expect(Hex.encode(okm) == "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87")
    }

    @Test("RFC 5869 test case 3 (empty salt and info)")
    func case3() throws {
        let okm = try HKDF.sha256(inputKeyMaterial: Hex.decode(String(repeating: "0b", count: 22)), length: 42)
        #expect(Hex.encode(okm) == "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8")
    }

    @Test("an output length outside 1...8160 is refused")
    func badLength() {
        #expect(throws: CryptoError.self) { try HKDF.sha256(inputKeyMaterial: [1], length: 0) }
        #expect(throws: CryptoError.self) { try HKDF.sha256(inputKeyMaterial: [1], length: 8161) }
    }
}

@Suite("AES-256-GCM (NIST GCM spec test cases 13–16)")
struct AES256GCMTests {
    static let key16 = "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308"
    static let plaintext16 = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39"
    static let aad16 = "feedfacedeadbeeffeedfacedeadbeefabaddad2"
    static let nonce16 = "cafebabefacedbaddecaf888"
    static let ciphertext16 = "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662"
    static let tag16 = "76fc6ece0f4e1768cddf8853bb2d551b"

    @Test("test case 13: empty plaintext, zero key")
    func case13() throws {
        let box = try AES256GCM.seal(SecretBytes(copying: []), key: SecretBytes(copying: [UInt8](repeating: 0, count: 32)), nonce: [UInt8](repeating: 0, count: 12))
        #expect(box.ciphertext.isEmpty)
        #expect(Hex.encode(box.tag) == "530f8afbc74536b9a963b4f1c4cb738b")
    }

    @Test("test case 14: one zero block, zero key")
    func case14() throws {
        let box = try AES256GCM.seal(SecretBytes(copying: [UInt8](repeating: 0, count: 16)), key: SecretBytes(copying: [UInt8](repeating: 0, count: 32)), nonce: [UInt8](repeating: 0, count: 12))
        #expect(Hex.encode(box.ciphertext) == "cea7403d4d606b6e074ec5d3baf39d18")
        #expect(Hex.encode(box.tag) == "d0d1c8a799996bf0265b98b5d48ab919")
    }

    @Test("test case 16: associated data, seal and open")
    func case16() throws {
        let box = try AES256GCM.seal(
            SecretBytes.hex(Self.plaintext16), key: SecretBytes.hex(Self.key16), nonce: Hex.decode(Self.nonce16), associatedData: Hex.decode(Self.aad16))
        #expect(Hex.encode(box.ciphertext) == Self.ciphertext16)
        #expect(Hex.encode(box.tag) == Self.tag16)
        let opened = try AES256GCM.open(box, key: SecretBytes.hex(Self.key16), nonce: Hex.decode(Self.nonce16), associatedData: Hex.decode(Self.aad16))
        #expect(opened.hexEncoded == Self.plaintext16)
    }

    @Test("a changed tag, ciphertext, nonce or associated data fails authentication")
    func tamper() throws {
        let key = try SecretBytes.hex(Self.key16)
        let nonce = try Hex.decode(Self.nonce16)
        let aad = try Hex.decode(Self.aad16)
        let box = AES256GCM.SealedBox(ciphertext: try Hex.decode(Self.ciphertext16), tag: try Hex.decode(Self.tag16))
        var badTag = box
        badTag.tag[0] ^= 1
        var badCiphertext = box
        badCiphertext.ciphertext[5] ^= 0x80
        var badNonce = nonce
        badNonce[11] ^= 1
        let failure = CryptoError(.authenticationFailed, reason: "")
        #expect(throws: failure) { try AES256GCM.open(badTag, key: key, nonce: nonce, associatedData: aad) }
        #expect(throws: failure) { try AES256GCM.open(badCiphertext, key: key, nonce: nonce, associatedData: aad) }
        #expect(throws: failure) { try AES256GCM.open(box, key: key, nonce: badNonce, associatedData: aad) }
        #expect(throws: failure) { try AES256GCM.open(box, key: key, nonce: nonce, associatedData: aad + [0]) }
    }

    @Test("wrong key and nonce lengths are refused before OpenSSL sees them")
    func lengths() {
        #expect(throws: CryptoError(.invalidKeyLength, reason: "")) { try AES256GCM.seal(SecretBytes(copying: [1]), key: SecretBytes(copying: [UInt8](repeating: 0, count: 16)), nonce: [UInt8](repeating: 0, count: 12)) }
        #expect(throws: CryptoError(.invalidNonceLength, reason: "")) { try AES256GCM.seal(SecretBytes(copying: [1]), key: SecretBytes(copying: [UInt8](repeating: 0, count: 32)), nonce: [UInt8](repeating: 0, count: 8)) }
    }
}

@Suite("Ed25519 (RFC 8032 §7.1)")
struct Ed25519Tests {
    static let cases: [(secret: String, public: String, message: String, signature: String)] = [
        ("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
         "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
         "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"),
        ("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
         "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
         "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"),
        ("c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
         "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
         "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"),
    ]

    @Test("RFC 8032 test vectors 1–3: public key, signature and verification", arguments: cases.indices)
    func rfc8032(index: Int) throws {
        let vector = Self.cases[index]
        let key = try Ed25519PrivateKey(seed: SecretBytes.hex(vector.secret))
        #expect(Hex.encode(key.publicKey.rawRepresentation) == vector.public)
        let signature = try key.signature(for: Hex.decode(vector.message))
        #expect(Hex.encode(signature) == vector.signature)
        let publicKey = try Ed25519PublicKey(rawRepresentation: Hex.decode(vector.public))
        #expect(publicKey.isValidSignature(signature, for: try Hex.decode(vector.message)))
    }

    @Test("a changed message, signature or key does not verify")
    func tamper() throws {
        let key = try Ed25519PrivateKey.generate()
        let message = Array("checkpoint".utf8)
        let signature = try key.signature(for: message)
        #expect(key.publicKey.isValidSignature(signature, for: message))
        var badSignature = signature
        badSignature[63] ^= 0x01
        #expect(!key.publicKey.isValidSignature(badSignature, for: message))
        #expect(!key.publicKey.isValidSignature(signature, for: message + [0]))
        #expect(!(try Ed25519PrivateKey.generate()).publicKey.isValidSignature(signature, for: message))
        #expect(!key.publicKey.isValidSignature(Array(signature.dropLast()), for: message))
    }
}

@Suite("Random, constant-time compare and encodings")
struct PrimitiveTests {
    @Test("RAND_bytes gives the requested length and distinct outputs")
    func random() throws {
        let a = try SecureRandom.bytes(count: 32)
        let b = try SecureRandom.bytes(count: 32)
        #expect(a.count == 32 && b.count == 32)
        #expect(a != b)
        #expect(try SecureRandom.bytes(count: 0).isEmpty)
    }

    @Test("CRYPTO_memcmp compare: equal, unequal in the last byte, unequal lengths")
    func constantTime() {
        let a: [UInt8] = Array(repeating: 7, count: 32)
        var b = a
        #expect(ConstantTime.equals(a, b))
        b[31] = 8
        #expect(!ConstantTime.equals(a, b))
        #expect(!ConstantTime.equals(a, Array(a.dropLast())))
        #expect(ConstantTime.equals([], []))
    }

    @Test("hex round-trips and refuses odd lengths and non-hex digits")
    func hex() throws {
        #expect(try Hex.decode("00ff10AB") == [0x00, 0xff, 0x10, 0xab])
        #expect(Hex.encode([0x00, 0xff, 0x10, 0xab]) == "00ff10ab")
        #expect(throws: CryptoError.self) { try Hex.decode("abc") }
        #expect(throws: CryptoError.self) { try Hex.decode("zz") }
    }

    @Test("base64url is unpadded, url-safe and strictly canonical")
    func base64url() throws {
        #expect(Base64URL.encode([0xfb, 0xff]) == "-_8")
        #expect(try Base64URL.decode("-_8") == [0xfb, 0xff])
        #expect(throws: CryptoError.self) { try Base64URL.decode("-_8=") }
        #expect(throws: CryptoError.self) { try Base64URL.decode("+/8") }
        // "-_9" decodes to the same bytes as "-_8" in a lax decoder; only one text form is accepted.
        #expect(throws: CryptoError.self) { try Base64URL.decode("-_9") }
    }

    @Test("base64 is padded, standard and strictly canonical (fuzz finding: Foundation accepts non-zero trailing bits)")
    func base64() throws {
        #expect(Base64.encode([0xfb, 0xff]) == "+/8=")
        #expect(try Base64.decode("+/8=") == [0xfb, 0xff])
        #expect(try Base64.decode("") == [])
        // "+/9=" decodes to the same bytes as "+/8=" through Data(base64Encoded:); only one text form is accepted.
        #expect(throws: CryptoError.self) { try Base64.decode("+/9=") }
        #expect(throws: CryptoError.self) { try Base64.decode("+/8") }
        #expect(throws: CryptoError.self) { try Base64.decode("-_8=") }
        #expect(throws: CryptoError.self) { try Base64.decode("+/8=\n") }
    }

    @Test("OpenSSL failures carry OpenSSL's own error string")
    func openSSLErrorString() {
        ERR_clear_error()
        #expect(EVP_MAC_fetch(nil, "NO-SUCH-MAC", nil) == nil)
        let error = CryptoError.openSSL("EVP_MAC_fetch(NO-SUCH-MAC)")
        #expect(error.code == .openSSL)
        #expect(error.reason.hasPrefix("EVP_MAC_fetch(NO-SUCH-MAC) failed: error:"))
        #expect(error.reason.contains("unsupported"))
    }
}
