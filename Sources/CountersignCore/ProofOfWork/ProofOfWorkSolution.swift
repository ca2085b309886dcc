import Foundation

/// A solution as an ALTCHA v1 client sends it in the `altcha` field: base64 of the JSON
/// `{"algorithm", "challenge", "number", "salt", "signature"}` (other members, such as the widget's `took`, are ignored).
public struct ProofOfWorkSolution: Sendable, Equatable {
    public let algorithm: String
    public let challenge: String
    public let number: Int
    public let salt: ProofOfWorkSalt
    public let signature: String

    /// The longest `altcha` field read; a real one is under 400 characters.
    public static let maximumLength = 1024
    /// The largest number accepted: above any `maxnumber` this service hands out.
    public static let maximumNumber = 1_000_000_000

    /// The JSON of the field, as read and as written.
    private struct Payload: Codable {
        let algorithm: String
        let challenge: String
        let number: Int
        let salt: String
        let signature: String
    }

    public init(algorithm: String, challenge: String, number: Int, salt: ProofOfWorkSalt, signature: String) {
        self.algorithm = algorithm
        self.challenge = challenge
        self.number = number
        self.salt = salt
        self.signature = signature
    }

    /// Reads the `altcha` field.
    public init(field: String) throws(ProofOfWorkError) {
        guard field.utf8.count <= Self.maximumLength else { throw .malformed("longer than \(Self.maximumLength) characters") }
        guard let json = Data(base64Encoded: field) else { throw .malformed("not base64") }
        let payload: Payload
        do {
            payload = try JSONDecoder().decode(Payload.self, from: json)
        } catch {
            throw .malformed("not the JSON of a solution")
        }
        guard (0...Self.maximumNumber).contains(payload.number) else { throw .malformed("the number is out of range") }
        self.init(
            algorithm: payload.algorithm, challenge: payload.challenge, number: payload.number, salt: try ProofOfWorkSalt(parsing: payload.salt),
            signature: payload.signature)
    }

    /// The `altcha` field for this solution, as an ALTCHA client writes it.
    public func field() throws(ProofOfWorkError) -> String {
        let payload = Payload(algorithm: algorithm, challenge: challenge, number: number, salt: salt.text, signature: signature)
        do {
            return try JSONEncoder().encode(payload).base64EncodedString()
        } catch {
            throw .malformed("it cannot be written as JSON")
        }
    }
}
