/// A challenge as `GET /api/challenge` serves it, in the ALTCHA v1 shape: find the `number` in `0...maxnumber` for which
/// `hex(SHA-256(salt ‖ number))` is `challenge`. The `signature`, `hex(HMAC-SHA256(K, challenge))`, lets the service check
/// a solution without remembering the challenge; `salt` ends in `?expires=UNIX&` (``ProofOfWorkSalt``).
public struct ProofOfWorkChallenge: Codable, Sendable, Equatable {
    public let algorithm: String
    public let challenge: String
    public let maxnumber: Int
    public let salt: String
    public let signature: String

    public init(algorithm: String, challenge: String, maxnumber: Int, salt: String, signature: String) {
        self.algorithm = algorithm
        self.challenge = challenge
        self.maxnumber = maxnumber
        self.salt = salt
        self.signature = signature
    }
}
