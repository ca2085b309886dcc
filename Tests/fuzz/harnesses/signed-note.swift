import CountersignCore
import CountersignCrypto

/// C2SP signed note (`SignedNote(encoded:)`): any text is refused with an `AuditError` or parses to a note that encodes
/// back to the same text, byte for byte; checking it against a verifier never crashes; and a signable body, signed,
/// parses back to the same note and verifies.
@_cdecl("LLVMFuzzerTestOneInput")
public func signedNoteFuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = fuzzText(data, size)
    if let note = try? SignedNote(encoded: text) {
        fuzzProperty(note.encoded == text, "accepted a note that encodes back as \(note.encoded)")
        fuzzProperty(note.text.hasSuffix("\n") && !note.signatures.isEmpty, "accepted a note without a body line or a signature")
        _ = note.verified(by: noteVerifier)
    }
    let body = text.hasSuffix("\n") ? text : text + "\n"
    if let signed = try? SignedNote.sign(body, name: noteVerifier.name, keys: [noteKey]) {
        let parsed = try? SignedNote(encoded: signed.encoded)
        fuzzProperty(parsed == signed, "a signed note parses back as \(String(describing: parsed))")
        fuzzProperty(parsed?.verified(by: noteVerifier) == true, "a signed note does not verify")
    }
    return 0
}

/// The signing key of the first checkpoint of `Keys/test-vectors.json`, whose notes are in the seed corpus.
private let noteKey: Ed25519PrivateKey = {
    do {
        return try Ed25519PrivateKey(seed: SecretBytes.hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"))
    } catch {
        fatalError("harness key: \(error)")
    }
}()
private let noteVerifier = SignedNote.Verifier(name: "countersign.example.org/audit", publicKey: noteKey.publicKey)
