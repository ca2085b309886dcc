import CountersignCore
import CountersignCrypto
import Foundation
import Testing

@Suite("Witness state machine (c2sp.org/tlog-witness add-checkpoint)")
struct WitnessStateTests {
    static let origin = "petitions.example.org/audit"

    /// A log of `count` entries named `prefix-N`, and its signed checkpoints.
    struct Log {
        let origin: String
        let key: Ed25519PrivateKey
        let tree: MerkleTree

        init(origin: String = WitnessStateTests.origin, key: Ed25519PrivateKey, count: Int, prefix: String = "entry") throws {
            self.origin = origin
            self.key = key
            tree = try MerkleTree(entries: (0..<count).map { Array("\(prefix)-\($0)".utf8) })
        }

        func note(size: Int? = nil, signedBy keys: [Ed25519PrivateKey]? = nil, name: String? = nil) throws -> SignedNote {
            let size = size ?? tree.size
            let checkpoint = Checkpoint(origin: origin, size: size, rootHash: try tree.root(size: size))
            return try SignedNote.sign(checkpoint.text, name: name ?? origin, keys: keys ?? [key])
        }

        func request(old: Int, size: Int? = nil, proof: [[UInt8]]? = nil) throws -> AddCheckpointRequest {
            let size = size ?? tree.size
            let path = try proof ?? (old > 0 && old < size ? try tree.consistencyProof(oldSize: old, newSize: size) ?? [] : [])
            return AddCheckpointRequest(oldSize: old, proof: path, checkpoint: try note(size: size))
        }
    }

    static func configured(_ keys: Ed25519PrivateKey..., origin: String = origin) -> [WitnessedLog] {
        [WitnessedLog(origin: origin, verifiers: keys.map { SignedNote.Verifier(name: origin, publicKey: $0.publicKey) })]
    }

    /// Decides and, when the decision is to cosign, records: what the witness server does.
    static func submit(_ request: AddCheckpointRequest, to state: inout WitnessState, logs: [WitnessedLog]) -> WitnessDecision {
        let decision = state.decide(request, logs: logs)
        if case .cosign(let checkpoint) = decision { state.record(checkpoint) }
        return decision
    }

    static func isCosign(_ decision: WitnessDecision) -> Bool {
        if case .cosign = decision { true } else { false }
    }

    @Test("first checkpoint, a grown one with its consistency proof, and the same one again (a refresh) are cosigned")
    func honestGrowth() throws {
        let key = try Ed25519PrivateKey.generate()
        let log = try Log(key: key, count: 13)
        let logs = Self.configured(key)
        var state = WitnessState()
        #expect(Self.isCosign(Self.submit(try log.request(old: 0, size: 5), to: &state, logs: logs)))
        #expect(state.logs[Self.origin]?.size == 5)
        #expect(Self.isCosign(Self.submit(try log.request(old: 5, size: 13), to: &state, logs: logs)))
        #expect(Self.isCosign(Self.submit(try log.request(old: 13, size: 13), to: &state, logs: logs)))
        #expect(state.logs[Self.origin] == WitnessState.Record(size: 13, root: Data(try log.tree.root()).base64EncodedString()))
    }

    @Test("a split view, another checkpoint of the size already cosigned, is refused with 409 and the known size")
    func splitView() throws {
        let key = try Ed25519PrivateKey.generate()
        let honest = try Log(key: key, count: 8)
        let fork = try Log(key: key, count: 8, prefix: "forged")
        let logs = Self.configured(key)
        var state = WitnessState()
        #expect(Self.isCosign(Self.submit(try honest.request(old: 0), to: &state, logs: logs)))
        for old in [8, 0] {
            guard case .conflict(let known, let reason) = Self.submit(try fork.request(old: old), to: &state, logs: logs) else {
                Issue.record("the fork was not refused as a conflict with old size \(old)")
                continue
            }
            #expect(known == 8)
            #expect(old == 0 || reason.contains("split view"))
        }
        #expect(state.logs[Self.origin]?.root == Data(try honest.tree.root()).base64EncodedString(), "the witness still holds the honest root")
        // A fork that grows past the cosigned size has no consistency proof from the honest root.
        let longerFork = try Log(key: key, count: 12, prefix: "forged")
        let forkProof = try #require(try longerFork.tree.consistencyProof(oldSize: 8, newSize: 12))
        #expect(!Self.isCosign(Self.submit(try longerFork.request(old: 8, proof: forkProof), to: &state, logs: logs)))
    }

    @Test("a rollback to a smaller tree is refused: 400 when the old size exceeds it, 409 when the old size is not the cosigned one")
    func rollback() throws {
        let key = try Ed25519PrivateKey.generate()
        let log = try Log(key: key, count: 10)
        let logs = Self.configured(key)
        var state = WitnessState()
        #expect(Self.isCosign(Self.submit(try log.request(old: 0), to: &state, logs: logs)))
        guard case .badRequest = Self.submit(try log.request(old: 10, size: 6, proof: []), to: &state, logs: logs) else {
            Issue.record("an old size above the checkpoint's was not a bad request")
            return
        }
        #expect(Self.submit(try log.request(old: 6, size: 6), to: &state, logs: logs) == .conflict(knownSize: 10, "the last checkpoint cosigned for \(Self.origin) has size 10, not 6"))
        #expect(state.logs[Self.origin]?.size == 10)
    }

    @Test("growth needs a consistency proof from the cosigned size: none, a wrong one, or one for other sizes is refused (422)")
    func consistencyProofRequired() throws {
        let key = try Ed25519PrivateKey.generate()
        let log = try Log(key: key, count: 13)
        let logs = Self.configured(key)
        var state = WitnessState()
        #expect(Self.isCosign(Self.submit(try log.request(old: 0, size: 5), to: &state, logs: logs)))
        let wrongSizes = try #require(try log.tree.consistencyProof(oldSize: 4, newSize: 13))
        for proof in [[], wrongSizes, [[UInt8](repeating: 7, count: 32)]] {
            guard case .badProof = Self.submit(try log.request(old: 5, size: 13, proof: proof), to: &state, logs: logs) else {
                Issue.record("a checkpoint with a bad proof (\(proof.count) hashes) was not refused as a bad proof")
                continue
            }
        }
        #expect(state.logs[Self.origin]?.size == 5)
        // The first submission must carry no proof.
        var fresh = WitnessState()
        guard case .badProof = Self.submit(try log.request(old: 0, proof: wrongSizes), to: &fresh, logs: logs) else {
            Issue.record("a proof from size 0 was accepted")
            return
        }
    }

    @Test("origins below ORIGIN/ are covered under the same key, each with its own size; others are unknown (404)")
    func prefixOrigins() throws {
        let key = try Ed25519PrivateKey.generate()
        let logs = Self.configured(key)
        var state = WitnessState()
        let child = try Log(origin: Self.origin + "/count/clean-air", key: key, count: 4)
        #expect(Self.isCosign(Self.submit(try child.request(old: 0), to: &state, logs: logs)))
        // Signed under the configured key's own name rather than the child origin: the same key, accepted too.
        let request = AddCheckpointRequest(oldSize: 4, proof: [], checkpoint: try child.note(name: Self.origin))
        #expect(Self.isCosign(Self.submit(request, to: &state, logs: logs)))
        #expect(state.logs[Self.origin + "/count/clean-air"]?.size == 4)
        #expect(state.logs[Self.origin] == nil, "the child's size is its own")
        let sibling = try Log(origin: Self.origin + "x", key: key, count: 4)
        guard case .unknownLog = Self.submit(try sibling.request(old: 0), to: &state, logs: logs) else {
            Issue.record("an origin that only starts with the log's name was accepted")
            return
        }
    }

    @Test("two keys for one origin (a log-key rotation): either one's signature is accepted; another key's is refused (403)")
    func rotatedLogKeys() throws {
        let old = try Ed25519PrivateKey.generate()
        let new = try Ed25519PrivateKey.generate()
        let logs = try WitnessedLog.parse([
            "\(Self.origin)=\(try SignedNote.Verifier(name: Self.origin, publicKey: old.publicKey).encoded)",
            "\(Self.origin)=\(try SignedNote.Verifier(name: Self.origin, publicKey: new.publicKey).encoded)",
        ])
        #expect(logs.count == 1 && logs[0].verifiers.count == 2)
        var state = WitnessState()
        let byOld = try Log(key: old, count: 3)
        let byNew = try Log(key: new, count: 6)
        #expect(Self.isCosign(Self.submit(try byOld.request(old: 0), to: &state, logs: logs)))
        #expect(Self.isCosign(Self.submit(try byNew.request(old: 3), to: &state, logs: logs)))
        let both = AddCheckpointRequest(oldSize: 6, proof: [], checkpoint: try byNew.note(signedBy: [old, new]))
        #expect(Self.isCosign(Self.submit(both, to: &state, logs: logs)))
        let stranger = try Log(key: try Ed25519PrivateKey.generate(), count: 6)
        guard case .untrusted = Self.submit(try stranger.request(old: 6), to: &state, logs: logs) else {
            Issue.record("a checkpoint signed by an unknown key was not refused as untrusted")
            return
        }
    }

    @Test("the add-checkpoint body round-trips, and malformed bodies are refused")
    func requestBody() throws {
        let key = try Ed25519PrivateKey.generate()
        let log = try Log(key: key, count: 13)
        let request = try log.request(old: 5)
        #expect(request.body.hasPrefix("old 5\n"))
        #expect(try AddCheckpointRequest(body: request.body) == request)
        let hash = Data(repeating: 1, count: 32).base64EncodedString()
        let note = try log.note().encoded
        for body in [
            "old 05\n\n\(note)", "old -1\n\n\(note)", "old 5\n\(note)", "new 5\n\n\(note)", "old 5\nnot base64\n\n\(note)",
            "old 5\n" + String(repeating: hash + "\n", count: 64) + "\n" + note, "old 5\n\nno note here\n",
        ] {
            #expect(throws: AuditError.malformedAddCheckpoint, "\(body.prefix(20))") { try AddCheckpointRequest(body: body) }
        }
    }
}
