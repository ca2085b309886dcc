import CountersignCore
import Foundation

/// A witness the service submits its checkpoints to (`serve --witness URL=VERIFIER`): the witness's submission
/// prefix (`POST URL/add-checkpoint`) and its verifier key, with which the service checks the cosignatures it gets.
public struct WitnessEndpoint: Sendable, Equatable {
    public let url: String
    public let verifier: WitnessVerifier

    public init(url: String, verifier: WitnessVerifier) {
        self.url = url
        self.verifier = verifier
    }

    /// Parses `URL=VERIFIER`, such as `https://witness.example.org=witness.example.org/w1+1a2b3c4d+BHk…`.
    public init(parsing text: String) throws {
        // A verifier key ends in base64 padding, so split at the first `=` after which a verifier key parses.
        for index in text.indices where text[index] == "=" {
            let url = String(text[..<index])
            guard let verifier = try? WitnessVerifier(encoded: String(text[text.index(after: index)...])) else { continue }
            guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme), parsed.host != nil else { break }
            self.init(url: url.hasSuffix("/") ? String(url.dropLast()) : url, verifier: verifier)
            return
        }
        throw ServerError(
            "--witness takes URL=VERIFIER: the witness's http(s) submission URL and its verifier key NAME+KEYID+BASE64(0x04 ‖ key), as `countersign witness init` prints it; got \(text)")
    }

    /// Parses a comma-separated list (the `countersign.witnesses` configuration key).
    public static func parseList(_ text: String) throws -> [WitnessEndpoint] {
        try text.split(separator: ",").map { try WitnessEndpoint(parsing: $0.trimmingCharacters(in: .whitespaces)) }
    }
}
