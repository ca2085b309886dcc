import CountersignCore
import CountersignCrypto
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import NIOFoundationCompat
import Testing

@Suite("Audit endpoints")
struct AuditRoutesTests {
    @Test("the checkpoint verifies with the published key, and every entry's inclusion proof checks against it")
    func checkpointAndProofs() async throws {
        let fixture = try await APIFixture()
        // Provisioning logged the seed petition's creation; add two more events.
        let log = AuditLog(store: fixture.store, origin: "petitions.example.org/audit")
        _ = try await fixture.store.appendAuditEntries { _, _ in
            [AuditEvent.petition(APIFixture.slug, state: .paused, date: Date()).text, AuditEvent.petition(APIFixture.slug, state: .open, date: Date()).text]
        }
        try await fixture.test { client in
            let key = String(buffer: try await client.execute(uri: "/audit/key", method: .get).body)
            #expect(key.hasPrefix("petitions.example.org/audit+"))
            let verifier = try SignedNote.Verifier(encoded: key.trimmingCharacters(in: .newlines))
            let note = try SignedNote(encoded: String(buffer: try await client.execute(uri: "/audit/checkpoint", method: .get).body))
            #expect(note.verified(by: verifier))
            let checkpoint = try Checkpoint(text: note.text)
            #expect(checkpoint.size == 3)

            struct Entries: Decodable { let start: Int; let entries: [String] }
            struct Proof: Decodable { let size: Int; let proof: [String] }
            let entries = try JSONDecoder().decode(Entries.self, from: Data(buffer: try await client.execute(uri: "/audit/entries", method: .get).body))
            #expect(entries.entries.first?.hasPrefix("type=petition-open slug=amazon-cut-ties-with-police-and-ice date=") == true)
            for (index, entry) in entries.entries.enumerated() {
                let response = try await client.execute(uri: "/audit/proof/inclusion?index=\(index)&size=3", method: .get)
                let proof = try JSONDecoder().decode(Proof.self, from: Data(buffer: response.body))
                let path = proof.proof.compactMap { Data(base64Encoded: $0).map(Array.init) }
                #expect(MerkleTree.verifyInclusion(
                    leafHash: try MerkleTree.leafHash(Array(entry.utf8)), index: index, size: 3, proof: path, root: checkpoint.rootHash))
            }
            let consistency = try await client.execute(uri: "/audit/proof/consistency?old=1&new=3", method: .get)
            #expect(consistency.status == .ok)
            #expect(try await client.execute(uri: "/audit/proof/inclusion?index=5&size=3", method: .get).status == .badRequest)
            #expect(try await client.execute(uri: "/audit/entries?start=9", method: .get).status == .badRequest)
            // A parameter that is not a number is refused, not read as its default (start=%00 used to read as 0).
            for query in ["start=%00", "start=", "start=abc", "start=+1", "start=1x", "end=0x2", "start=01"] {
                #expect(try await client.execute(uri: "/audit/entries?\(query)", method: .get).status == .badRequest, "\(query)")
            }
            #expect(try await client.execute(uri: "/audit/entries?start=1", method: .get).status == .ok)
        }
    }
}
