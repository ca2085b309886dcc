import CountersignCore
import CountersignCrypto
import Foundation
import Testing

@Suite("Audit log: Merkle tree and signed checkpoints")
struct AuditLogTests {
    /// The RFC 6962 reference leaves used by Certificate Transparency's own tests.
    static let leaves: [[UInt8]] = [
        [], [0x00], [0x10], [0x20, 0x21], [0x30, 0x31], [0x40, 0x41, 0x42, 0x43], Array(0x50...0x57), Array(0x60...0x6f),
    ]
    static let roots = [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ]

    @Test("roots of the RFC 6962 reference tree of 1 to 8 leaves, and of the empty tree")
    func roots() throws {
        let tree = try MerkleTree(entries: Self.leaves)
        for size in 1...8 {
            #expect(Hex.encode(try tree.root(size: size)) == Self.roots[size - 1])
        }
        #expect(Hex.encode(try MerkleTree().root()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test("every inclusion proof in trees of 1 to 8 leaves verifies; a changed leaf, index or path does not")
    func inclusion() throws {
        let tree = try MerkleTree(entries: Self.leaves)
        for size in 1...8 {
            let root = try tree.root(size: size)
            for index in 0..<size {
                let proof = try #require(try tree.inclusionProof(index: index, size: size))
                let leaf = try MerkleTree.leafHash(Self.leaves[index])
                #expect(MerkleTree.verifyInclusion(leafHash: leaf, index: index, size: size, proof: proof, root: root))
                #expect(!MerkleTree.verifyInclusion(leafHash: try MerkleTree.leafHash([0xff]), index: index, size: size, proof: proof, root: root))
                if size > 1 {
                    #expect(!MerkleTree.verifyInclusion(leafHash: leaf, index: (index + 1) % size, size: size, proof: proof, root: root))
                    var bent = proof
                    bent[0][0] ^= 1
                    #expect(!MerkleTree.verifyInclusion(leafHash: leaf, index: index, size: size, proof: bent, root: root))
                }
            }
        }
        #expect(try tree.inclusionProof(index: 8, size: 8) == nil)
    }

    @Test("every consistency proof between trees of 1 to 8 leaves verifies; a rewritten history does not")
    func consistency() throws {
        let tree = try MerkleTree(entries: Self.leaves)
        var rewritten = Self.leaves
        rewritten[0] = [0x99]
        let forged = try MerkleTree(entries: rewritten)
        for newSize in 1...8 {
            for oldSize in 1...newSize {
                let proof = try #require(try tree.consistencyProof(oldSize: oldSize, newSize: newSize))
                #expect(MerkleTree.verifyConsistency(
                    oldSize: oldSize, newSize: newSize, oldRoot: try tree.root(size: oldSize), newRoot: try tree.root(size: newSize), proof: proof))
                #expect(!MerkleTree.verifyConsistency(
                    oldSize: oldSize, newSize: newSize, oldRoot: try forged.root(size: oldSize), newRoot: try tree.root(size: newSize), proof: proof))
            }
        }
        #expect(try tree.consistencyProof(oldSize: 0, newSize: 3) == nil)
    }

    struct CheckpointVector: Decodable {
        let seed, name, origin, root, note: String
        let entries: [String]
        let verifierKey: String
        enum CodingKeys: String, CodingKey { case seed, name, origin, root, note, entries, verifierKey = "verifier_key" }
    }

    static func vectors() throws -> [CheckpointVector] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Keys/test-vectors.json")
        struct File: Decodable { let checkpoint: [CheckpointVector] }
        return try JSONDecoder().decode(File.self, from: Data(contentsOf: url)).checkpoint
    }

    @Test("signed checkpoints match the public vectors made with Python's cryptography, byte for byte")
    func checkpointVectors() throws {
        for vector in try Self.vectors() {
            let tree = try MerkleTree(entries: vector.entries.map { Array($0.utf8) })
            #expect(Hex.encode(try tree.root()) == vector.root)
            let key = try Ed25519PrivateKey(seed: SecretBytes.hex(vector.seed))
            let checkpoint = Checkpoint(origin: vector.origin, size: tree.size, rootHash: try tree.root())
            let note = try SignedNote.sign(checkpoint.text, name: vector.name, keys: [key])
            #expect(note.encoded == vector.note)
            #expect(try SignedNote.Verifier(name: vector.name, publicKey: key.publicKey).encoded == vector.verifierKey)
            let parsed = try SignedNote(encoded: vector.note)
            #expect(parsed.verified(by: try SignedNote.Verifier(encoded: vector.verifierKey)))
            #expect(try Checkpoint(text: parsed.text) == checkpoint)
        }
    }

    @Test("a note signed by another key, a changed byte of the text, or a malformed verifier key is refused")
    func forgery() throws {
        let key = try Ed25519PrivateKey.generate()
        let other = try Ed25519PrivateKey.generate()
        let checkpoint = Checkpoint(origin: "example.org/log", size: 3, rootHash: Array(repeating: 7, count: 32))
        let verifier = SignedNote.Verifier(name: "example.org/log", publicKey: key.publicKey)
        let forged = try SignedNote.sign(checkpoint.text, name: "example.org/log", keys: [other])
        #expect(!forged.verified(by: verifier))
        let genuine = try SignedNote.sign(checkpoint.text, name: "example.org/log", keys: [key])
        let tampered = try SignedNote(encoded: genuine.encoded.replacingOccurrences(of: "\n3\n", with: "\n4\n"))
        #expect(!tampered.verified(by: verifier))
        #expect(try SignedNote(encoded: genuine.encoded).verified(by: verifier))
        let rotation = try SignedNote.sign(checkpoint.text, name: "example.org/log", keys: [key, other])
        #expect(rotation.verified(by: verifier) && rotation.verified(by: .init(name: "example.org/log", publicKey: other.publicKey)))
        #expect(throws: AuditError.malformedVerifierKey) { try SignedNote.Verifier(encoded: "example.org/log+00000000+AQ==") }
        let encoded = try verifier.encoded
        #expect(throws: AuditError.malformedVerifierKey) { try SignedNote.Verifier(encoded: encoded.replacingOccurrences(of: "+", with: "+0", options: [], range: nil)) }
        #expect(throws: AuditError.malformedNote) { try SignedNote(encoded: "no signatures\n") }
        #expect(throws: AuditError.malformedCheckpoint) { try Checkpoint(text: "origin\nnot-a-number\nAAAA\n") }
    }

    /// Inputs `Tests/fuzz/run.sh` found, each a spelling of a public vector that the parser accepted and that did not
    /// encode back to itself: the root's or the signature's base64 with other trailing bits, a doubled space, a missing
    /// final newline, a carriage return.
    @Test("a checkpoint or note is accepted only in the one form it encodes to (fuzz findings)")
    func canonicalForms() throws {
        let vectors = try Self.vectors()
        let vector = try #require(vectors.first)
        let note = try SignedNote(encoded: vector.note)
        #expect(note.encoded == vector.note)
        #expect(try Checkpoint(text: note.text).text == note.text)
        let body = note.text
        #expect(body.contains("OE=\n"))
        #expect(throws: AuditError.malformedCheckpoint) { try Checkpoint(text: body.replacingOccurrences(of: "OE=\n", with: "O/=\n")) }
        #expect(throws: AuditError.malformedCheckpoint) { try Checkpoint(text: body.replacingOccurrences(of: "OE=\n", with: "OE\n")) }
        #expect(throws: AuditError.malformedCheckpoint) { try Checkpoint(text: body.replacingOccurrences(of: "\n", with: "\r\n")) }
        // 4 + 64 bytes end in one character of 4 data bits and 2 zero bits; flipping its last bit respells the same bytes.
        let first = try #require(note.signatures.first)
        let signature = Base64.encode(first.keyID + first.signature)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        let lastCharacter = try #require(signature.dropLast().last)
        let last = try #require(alphabet.firstIndex(of: lastCharacter))
        let respelled = String(signature.dropLast(2)) + String(alphabet[last ^ 1]) + "="
        #expect(Data(base64Encoded: respelled) == Data(base64Encoded: signature))
        let spellings = [
            vector.note.replacingOccurrences(of: signature, with: respelled),
            vector.note.replacingOccurrences(of: "— ", with: "—  "),
            String(vector.note.dropLast()),
            vector.note.replacingOccurrences(of: "\n\n", with: "\r\n\n"),
            vector.note + "\n",
        ]
        for spelling in spellings {
            #expect(throws: AuditError.malformedNote) { try SignedNote(encoded: spelling) }
        }
    }
}
