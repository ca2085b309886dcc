import CountersignCrypto
import Foundation

/// What a witness remembers: for each log origin, the size and root of the last checkpoint it cosigned
/// (c2sp.org/tlog-witness: "the witness is only required to keep track of the latest checkpoint it observed and
/// verified"). The rules of `add-checkpoint` are ``decide(_:logs:)``; the server persists the state before it answers.
public struct WitnessState: Sendable, Codable, Equatable {
    /// The last cosigned checkpoint of one origin.
    public struct Record: Sendable, Codable, Equatable {
        public let size: Int
        /// The root hash, base64.
        public let root: String

        public init(size: Int, root: String) {
            self.size = size
            self.root = root
        }
    }

    /// The records by origin.
    public private(set) var logs: [String: Record]

    public init(logs: [String: Record] = [:]) {
        self.logs = logs
    }

    /// The tlog-witness checks, in the order the spec gives them: a known origin (404), a valid signature by a key
    /// trusted for it (403), an old size no larger than the new (400), the old size is the one cosigned last (409, so
    /// a rollback is refused), the consistency proof from the cosigned root (422), and at equal sizes the same root
    /// (409: a split view).
    public func decide(_ request: AddCheckpointRequest, logs configured: [WitnessedLog]) -> WitnessDecision {
        let note = request.checkpoint
        guard let checkpoint = try? Checkpoint(text: note.text) else {
            return .badRequest("the note's body is not a checkpoint (origin, size, base64 root)")
        }
        guard let log = configured.filter({ $0.covers(checkpoint.origin) }).max(by: { $0.origin.count < $1.origin.count }) else {
            return .unknownLog("this witness cosigns no log named \(checkpoint.origin)")
        }
        let trusted = log.verifiers(for: checkpoint.origin)
        let body = Array(note.text.utf8)
        var verified = 0
        for line in note.signatures {
            let candidates = trusted.filter { $0.name == line.name && (try? $0.keyID) == line.keyID }
            guard !candidates.isEmpty else { continue }  // an unknown key, such as another witness's cosignature
            guard candidates.contains(where: { $0.publicKey.isValidSignature(line.signature, for: body) }) else {
                return .untrusted("the signature by \(line.name)+\(Hex.encode(line.keyID)), a key trusted for \(checkpoint.origin), does not verify")
            }
            verified += 1
        }
        guard verified > 0 else { return .untrusted("no signature by a key trusted for \(checkpoint.origin)") }
        guard request.oldSize <= checkpoint.size else {
            return .badRequest("the old size \(request.oldSize) exceeds the checkpoint's size \(checkpoint.size)")
        }
        let known = logs[checkpoint.origin]
        guard request.oldSize == (known?.size ?? 0) else {
            return .conflict(knownSize: known?.size ?? 0, "the last checkpoint cosigned for \(checkpoint.origin) has size \(known?.size ?? 0), not \(request.oldSize)")
        }
        let root = Data(checkpoint.rootHash).base64EncodedString()
        guard let known else {
            return request.proof.isEmpty ? .cosign(checkpoint) : .badProof("the proof must be empty when the old size is 0")
        }
        if known.size == checkpoint.size {
            guard known.root == root else {
                return .conflict(knownSize: known.size, "a checkpoint of size \(known.size) with root \(known.root) was cosigned for \(checkpoint.origin); this one has root \(root): a split view")
            }
            return request.proof.isEmpty ? .cosign(checkpoint) : .badProof("the proof between equal sizes must be empty")
        }
        guard known.size > 0 else {
            return request.proof.isEmpty ? .cosign(checkpoint) : .badProof("the proof must be empty when the old size is 0")
        }
        guard let oldRoot = Data(base64Encoded: known.root),
            MerkleTree.verifyConsistency(
                oldSize: known.size, newSize: checkpoint.size, oldRoot: Array(oldRoot), newRoot: checkpoint.rootHash, proof: request.proof)
        else {
            return .badProof("the consistency proof does not show the cosigned tree of size \(known.size) inside this one of size \(checkpoint.size)")
        }
        return .cosign(checkpoint)
    }

    /// Records `checkpoint` as the last cosigned for its origin (after ``decide(_:logs:)`` said ``WitnessDecision/cosign(_:)``).
    public mutating func record(_ checkpoint: Checkpoint) {
        logs[checkpoint.origin] = Record(size: checkpoint.size, root: Data(checkpoint.rootHash).base64EncodedString())
    }
}
