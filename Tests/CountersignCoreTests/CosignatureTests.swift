import CountersignCore
import CountersignCrypto
import Foundation
import Testing

@Suite("Cosignatures (c2sp.org/tlog-cosignature, cosignature/v1 with Ed25519)")
struct CosignatureTests {
    /// The checkpoint of the tlog-cosignature spec's example.
    static let body = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
    static let name = "witness.example/w1"
    static let timestamp: UInt64 = 1_679_315_147

    static func signer() throws -> WitnessSigner {
        try WitnessSigner(name: name, key: Ed25519PrivateKey(seed: SecretBytes(copying: Array(1...32))))
    }

    @Test("a known answer made with Python's cryptography: the verifier key and the cosignature line, byte for byte")
    func knownAnswer() throws {
        // Computed independently: key id = sha256(name + b"\n\x04" + pk)[:4], line = kid ‖ ts(8, big-endian) ‖ sign(msg).
        let signer = try Self.signer()
        #expect(try signer.verifier.encoded == "witness.example/w1+468d99bb+BHm1Vi6P5lT5QHixEuipi6eQH4U65pW+1+DjkQutBJZk")
        let cosignature = try signer.cosign(Self.body, at: Date(timeIntervalSince1970: TimeInterval(Self.timestamp)))
        #expect(
            cosignature.line.line
                == "— witness.example/w1 Ro2ZuwAAAABkGFDLQB2dbiQ7rPMIDjq/twq5Ixt42T+awjiYS4+fxrnLnI31x5abVjZlhDVvZAcRRLyAiG4oQlhTgi4DsxiPwiDaDg==\n")
        #expect(Cosignature.message(body: Self.body, timestamp: Self.timestamp) == Array(("cosignature/v1\ntime 1679315147\n" + Self.body).utf8))
        let verifier = try WitnessVerifier(encoded: try signer.verifier.encoded)
        #expect(verifier == signer.verifier)
    }

    @Test("a cosigned note verifies, its time is the cosignature's, and a changed body, time or signature does not verify")
    func verifyAndTamper() throws {
        let signer = try Self.signer()
        let log = try Ed25519PrivateKey.generate()
        let note = try SignedNote.sign(Self.body, name: "example.com/behind-the-sofa", keys: [log])
        let cosignature = try signer.cosign(Self.body, at: Date(timeIntervalSince1970: 1_700_000_000.7))
        #expect(cosignature.timestamp == 1_700_000_000)
        let cosigned = try SignedNote(encoded: note.adding([cosignature.line]).encoded)
        #expect(signer.verifier.cosignatures(on: cosigned) == .valid(timestamp: 1_700_000_000))
        // The log's own check ignores the witness's line, as signed-note requires of unknown keys.
        #expect(cosigned.verified(by: SignedNote.Verifier(name: "example.com/behind-the-sofa", publicKey: log.publicKey)))
        #expect(signer.verifier.cosignatures(on: note) == .absent)

        let otherBody = try SignedNote(encoded: Self.body.replacingOccurrences(of: "20852163", with: "20852164"), lines: cosigned.signatures)
        #expect(signer.verifier.cosignatures(on: otherBody) == .invalid)
        var blob = cosignature.line.signature
        blob[7] ^= 1  // the timestamp's last byte: the signature covers the time
        let retimed = note.adding([SignedNote.Signature(name: Self.name, keyID: cosignature.keyID, signature: blob)])
        #expect(signer.verifier.cosignatures(on: retimed) == .invalid)
        // A key with the same name but another key id is someone else's: ignored.
        let stranger = try WitnessSigner(name: Self.name, key: Ed25519PrivateKey.generate()).cosign(Self.body, at: Date())
        #expect(signer.verifier.cosignatures(on: note.adding([stranger.line])) == .absent)
    }

    @Test("the witness key id uses signature type 0x04, unlike the log's 0x01, and malformed verifier keys are refused")
    func keyIDs() throws {
        let key = try Ed25519PrivateKey.generate()
        let witness = WitnessVerifier(name: Self.name, publicKey: key.publicKey)
        #expect(try witness.keyID == Array(try SHA256.hash(Array(Self.name.utf8), [0x0A, 0x04], key.publicKey.rawRepresentation).prefix(4)))
        #expect(try witness.keyID != SignedNote.Verifier(name: Self.name, publicKey: key.publicKey).keyID)
        let logKey = try SignedNote.Verifier(name: Self.name, publicKey: key.publicKey).encoded
        #expect(throws: AuditError.malformedWitnessKey) { try WitnessVerifier(encoded: logKey) }
        var encoded = try witness.encoded
        encoded.replaceSubrange(encoded.range(of: "+")!, with: "x+")
        #expect(throws: AuditError.malformedWitnessKey) { try WitnessVerifier(encoded: encoded) }
        #expect(throws: AuditError.malformedWitnessKey) { try WitnessSigner(name: "two words", key: key) }
    }
}

extension SignedNote {
    /// A note of `text` carrying `lines`, through the parser.
    init(encoded text: String, lines: [Signature]) throws {
        try self.init(encoded: text + "\n" + lines.map(\.line).joined())
    }
}
