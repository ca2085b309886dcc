import CountersignCore
import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Calls a witness's `POST /add-checkpoint` (c2sp.org/tlog-witness) and reads its answer.
struct WitnessClient: Sendable {
    let endpoint: WitnessEndpoint

    enum Answer: Sendable, Equatable {
        /// 200: the witness's cosignature lines that verify under its configured key (others are ignored, as the spec requires).
        case cosigned([SignedNote.Signature])
        /// 409: the witness's last cosigned size for this log is not the old size sent.
        case conflict(knownSize: Int)
        /// Anything else, with the status and the start of the body.
        case refused(status: Int, reason: String)
    }

    func add(_ request: AddCheckpointRequest) async throws -> Answer {
        guard let url = URL(string: endpoint.url + "/add-checkpoint") else { throw ServerError("\(endpoint.url) is not a URL") }
        var post = URLRequest(url: url, timeoutInterval: 15)
        post.httpMethod = "POST"
        post.httpBody = Data(request.body.utf8)
        post.setValue("text/plain; charset=utf-8", forHTTPHeaderField: "Content-Type")
        let (data, response) = try await URLSession.shared.data(for: post)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        let text = String(decoding: data, as: UTF8.self)
        switch status {
        case 200:
            // tlog-witness: "the client MAY concatenate it to the checkpoint, and use a note verification function".
            guard let answered = try? SignedNote(encoded: request.checkpoint.text + "\n" + text),
                case .valid = endpoint.verifier.cosignatures(on: answered),
                let keyID = try? endpoint.verifier.keyID
            else { return .refused(status: status, reason: "the answer holds no valid cosignature by \(endpoint.verifier.name)") }
            return .cosigned(answered.signatures.filter { $0.name == endpoint.verifier.name && $0.keyID == keyID })
        case 409:
            guard let size = Int(text.trimmingCharacters(in: .newlines)), size >= 0 else {
                return .refused(status: status, reason: "a 409 whose body is not a tree size")
            }
            return .conflict(knownSize: size)
        default:
            return .refused(status: status, reason: String(text.prefix(200)).trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }
}
