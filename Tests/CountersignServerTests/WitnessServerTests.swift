import CountersignCore
import CountersignCrypto
import CountersignServer
import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import NIOCore
import Testing

@Suite("Witness server: POST /add-checkpoint over HTTP, its key file and its persisted state")
struct WitnessServerTests {
    static let origin = "petitions.example.org/audit"

    static func folder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("witness-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        return path
    }

    static func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int ?? 0) & 0o777
    }

    /// The add-checkpoint body for the first `size` of `entries`, proving consistency from `old`.
    static func body(_ entries: [String], size: Int, old: Int, key: Ed25519PrivateKey) throws -> String {
        let tree = try MerkleTree(entries: entries.prefix(size).map { Array($0.utf8) })
        let note = try SignedNote.sign(Checkpoint(origin: origin, size: size, rootHash: try tree.root()).text, name: origin, keys: [key])
        let proof = old > 0 && old < size ? try tree.consistencyProof(oldSize: old, newSize: size) ?? [] : []
        return AddCheckpointRequest(oldSize: old, proof: proof, checkpoint: note).body
    }

    static func post(_ client: some TestClientProtocol, _ body: String) async throws -> TestResponse {
        try await client.execute(uri: "/add-checkpoint", method: .post, body: ByteBuffer(string: body))
    }

    @Test("the key file is made with mode 600, never replaced, and refused once the group can read it")
    func keyFile() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/witness.key"
        let made = try WitnessKeyFile(path: path).create(name: "witness.example/w1")
        #expect(try Self.mode(path) == 0o600)
        #expect(try WitnessKeyFile(path: path).load().verifier == made.verifier)
        #expect(throws: ServerError.self) { try WitnessKeyFile(path: path).create(name: "witness.example/w2") }
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: path)
        let refusal = #expect(throws: ServerError.self) { try WitnessKeyFile(path: path).load() }
        #expect(refusal?.description.contains("chmod 600") == true)
    }

    @Test("cosigns over HTTP, refuses a split view with 409 and the known size, and remembers the size across a restart")
    func addCheckpointOverHTTP() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let keyPath = folder + "/witness.key"
        let witness = try WitnessKeyFile(path: keyPath).create(name: "witness.example/w1")
        let logKey = try Ed25519PrivateKey.generate()
        let configuration = WitnessConfiguration(
            key: keyPath, logs: ["\(Self.origin)=\(try SignedNote.Verifier(name: Self.origin, publicKey: logKey.publicKey).encoded)"])
        let honest = (0..<8).map { "entry-\($0)" }
        let fork = (0..<8).map { "forged-\($0)" }


        do {
            let app = try buildWitnessApplication(configuration, logger: Logger(label: "witness-test"))
            #expect(throws: ServerError.self, "a second witness on the same state is refused") {
                try buildWitnessApplication(configuration, logger: Logger(label: "witness-test"))
            }
            try await app.test(.router) { client in
                let first = try await Self.post(client, try Self.body(honest, size: 5, old: 0, key: logKey))
                #expect(first.status == .ok)
                let line = String(buffer: first.body)
                let checkpoint = try SignedNote(encoded: try Self.body(honest, size: 5, old: 0, key: logKey).components(separatedBy: "\n\n").dropFirst().joined(separator: "\n\n"))
                let cosigned = try SignedNote(encoded: checkpoint.text + "\n" + line)
                guard case .valid(let time) = witness.verifier.cosignatures(on: cosigned) else {
                    Issue.record("the answer \(line) is not a valid cosignature")
                    return
                }
                #expect(abs(Double(time) - Date().timeIntervalSince1970) < 60)

                let split = try await Self.post(client, try Self.body(fork, size: 5, old: 5, key: logKey))
                #expect(split.status == .conflict)
                #expect(split.headers[.contentType] == "text/x.tlog.size")
                #expect(String(buffer: split.body) == "5\n")

                #expect(try await Self.post(client, try Self.body(honest, size: 8, old: 5, key: logKey)).status == .ok)
                // Between equal sizes the proof must be empty: the proof from 5 sent with old size 8 does not verify (422).
                let extraProof = try Self.body(honest, size: 8, old: 5, key: logKey).replacingOccurrences(of: "old 5\n", with: "old 8\n")
                #expect(try await Self.post(client, extraProof).status.code == 422)
                #expect(try await Self.post(client, try Self.body(honest, size: 5, old: 8, key: logKey)).status == .badRequest, "a rollback below the old size")
                #expect(try await Self.post(client, "old 0\n\nnot a note\n").status == .badRequest)
                let stranger = try Ed25519PrivateKey.generate()
                #expect(try await Self.post(client, try Self.body(honest, size: 8, old: 8, key: stranger)).status == .forbidden)
            }
        }
        #expect(try Self.mode(keyPath + ".state.json") == 0o600)
        // A restarted witness still knows size 8: the fork from size 0 gets a 409 naming it.
        let restarted = try buildWitnessApplication(configuration, logger: Logger(label: "witness-test"))
        try await restarted.test(.router) { client in
            let again = try await Self.post(client, try Self.body(fork, size: 8, old: 0, key: logKey))
            #expect(again.status == .conflict)
            #expect(String(buffer: again.body) == "8\n")
            let unknown = try await client.execute(
                uri: "/add-checkpoint", method: .post,
                body: ByteBuffer(string: try Self.body(honest, size: 8, old: 0, key: logKey).replacingOccurrences(of: Self.origin + "\n", with: "elsewhere.example/log\n")))
            #expect(unknown.status == .notFound)
        }
    }
}
