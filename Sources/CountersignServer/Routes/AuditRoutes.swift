import CountersignCore
import CountersignCrypto
import Foundation
import Hummingbird

/// The public audit endpoints: the verifier key, the signed checkpoint, the entries, and inclusion and
/// consistency proofs, so that an auditor needs nothing but these and the key.
///
/// Checkpoints are signed by every log key that is still usable (``AuditLog/signingKeys(_:)``), read from the
/// service's current keyring, so a log-key rotation shows at once as a doubly signed checkpoint; ``CheckpointSigner``
/// makes sure the newest log key the log names is among them.
struct AuditRoutes: Sendable {
    let signer: CheckpointSigner
    var log: AuditLog { signer.log }
    var service: SigningService { signer.service }

    struct Entries: ResponseEncodable {
        let start: Int
        let entries: [String]
    }

    struct Proof: ResponseEncodable {
        let size: Int
        let proof: [String]
    }

    func add(to router: Router<CountersignRequestContext>) {
        let audit = router.group("audit")
        audit.get("key") { _, _ in
            guard let primary = try AuditLog.signingKeys(service.keyring).first else { throw APIError.internal }
            return try text(SignedNote.Verifier(name: log.origin, publicKey: primary.publicKey).encoded + "\n")
        }
        audit.get("checkpoint") { _, _ in try await text(signer.checkpoint().encoded) }
        audit.get("entries") { request, _ in
            let count = try await log.store.auditEntryCount()
            let start = try Self.integer(request, "start", default: 0, in: 0...count)
            let end = try Self.integer(request, "end", default: count, in: start...count)
            return Entries(start: start, entries: try await log.store.auditEntries(start..<end))
        }
        audit.get("proof/inclusion") { request, _ in
            let tree = try await log.tree()
            let size = try Self.integer(request, "size", default: tree.size, in: 1...max(1, tree.size))
            let index = try Self.integer(request, "index", default: -1, in: 0...(size - 1))
            guard let proof = try tree.inclusionProof(index: index, size: size) else { throw APIError.badQuery }
            return Proof(size: size, proof: proof.map(Self.base64))
        }
        audit.get("proof/consistency") { request, _ in
            let tree = try await log.tree()
            let new = try Self.integer(request, "new", default: tree.size, in: 1...max(1, tree.size))
            let old = try Self.integer(request, "old", default: -1, in: 1...new)
            guard let proof = try tree.consistencyProof(oldSize: old, newSize: new) else { throw APIError.badQuery }
            return Proof(size: new, proof: proof.map(Self.base64))
        }
    }

    private func text(_ body: String) -> Response {
        Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    /// The query parameter `name` as a decimal in `range`, or `value` when it is absent. Anything given that is not a
    /// plain decimal (`start=%00`, `start=`, `start=+1`, `start=1x`) is refused, never read as the default.
    private static func integer(_ request: Request, _ name: String, default value: Int, in range: ClosedRange<Int>) throws(APIError) -> Int {
        var number = value
        if let text = request.uri.queryParameters.get(name) {
            guard let given = Int(text), String(given) == text else { throw .badQuery }
            number = given
        }
        guard range.contains(number) else { throw .badQuery }
        return number
    }

    private static func base64(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
    }
}
