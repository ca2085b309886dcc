import CountersignCore
import Foundation
import Hummingbird
import Logging

/// The witness's HTTP interface (c2sp.org/tlog-witness): `POST /add-checkpoint`, and `GET /healthz`.
///
/// Statuses as the spec gives them: 200 with the cosignature line, 400 for a body that does not parse or an old size
/// above the new, 403 for no valid signature by a trusted log key, 404 for an unknown origin, 409 with the last
/// cosigned size (`text/x.tlog.size`) for a wrong old size or a split view, 422 for a consistency proof that does not
/// verify. A refused checkpoint that carries a valid log signature is logged whole: it may be the proof that the log
/// misbehaved.
struct WitnessRoutes: Sendable {
    let witness: Witness
    let logger: Logger

    /// The largest body accepted: 63 proof lines and a checkpoint with a few dozen signatures fit well below it.
    static let maximumBody = 64 * 1024

    func add(to router: Router<BasicRequestContext>) {
        router.get("healthz") { _, _ in ["status": "ok"] }
        router.post("add-checkpoint") { request, _ -> Response in
            let body = try await request.body.collect(upTo: Self.maximumBody)
            let parsed: AddCheckpointRequest
            do throws(AuditError) {
                parsed = try AddCheckpointRequest(body: String(buffer: body))
            } catch {
                return Self.text(.badRequest, error.reason + "\n")
            }
            let (decision, cosignature) = try await witness.add(parsed, now: Date())
            switch decision {
            case .cosign(let checkpoint):
                guard let cosignature else { throw HTTPError(.internalServerError) }
                logger.info("cosigned", metadata: ["origin": "\(checkpoint.origin)", "size": "\(checkpoint.size)"])
                return Self.text(.ok, cosignature.line.line)
            case .unknownLog(let reason):
                return Self.text(.notFound, reason + "\n")
            case .untrusted(let reason):
                return Self.text(.forbidden, reason + "\n")
            case .badRequest(let reason):
                refused(reason, parsed)
                return Self.text(.badRequest, reason + "\n")
            case .conflict(let size, let reason):
                refused(reason, parsed)
                return Response(
                    status: .conflict, headers: [.contentType: "text/x.tlog.size"], body: .init(byteBuffer: ByteBuffer(string: "\(size)\n")))
            case .badProof(let reason):
                refused(reason, parsed)
                return Self.text(.init(code: 422), reason + "\n")
            }
        }
    }

    /// Logs a refused checkpoint whose log signature verified: the signed note is public, and it is evidence.
    private func refused(_ reason: String, _ request: AddCheckpointRequest) {
        logger.warning(
            "refused a validly signed checkpoint",
            metadata: ["reason": "\(reason)", "old": "\(request.oldSize)", "checkpoint": "\(request.checkpoint.encoded)"])
    }

    private static func text(_ status: HTTPResponse.Status, _ body: String) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
