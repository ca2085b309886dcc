import CountersignCrypto
import Foundation

/// Issues and checks ALTCHA v1 challenges under `K = HKDF-SHA256(token key, info "countersign/altcha/v1")`, so that a
/// challenge needs no state until it is spent: `challenge = hex(SHA-256(salt ‖ number))` and
/// `signature = hex(HMAC-SHA256(K, challenge))`. Whether a challenge was spent before is the store's to remember
/// (``SpentChallengeStore``); whether one is demanded is ``ProofOfWorkPolicy``'s to say.
public struct ProofOfWorkAuthority: Sendable {
    public static let algorithm = "SHA-256"
    static let info = Array("countersign/altcha/v1".utf8)
    /// How long a challenge is accepted after it is issued.
    public static let lifetime: Duration = .seconds(600)

    private let mac: HMACSHA256

    /// An authority keyed from the token key's material.
    public init(tokenKey: SecretBytes) throws(CryptoError) {
        let key = try tokenKey.withUnsafeBytes { bytes throws(CryptoError) in
            try HKDF.sha256(inputKeyMaterial: Array(bytes), info: Self.info, length: HMACSHA256.outputLength)
        }
        self.mac = try HMACSHA256(key: SecretBytes(copying: key))
    }

    /// An authority keyed from the keyring's primary token key.
    public init(keyring: Keyring) throws(KeyringError) {
        let primary = try keyring.primary(.token)
        guard let material = primary.material else { throw KeyringError(.crypto, "the primary token key has no material") }
        do {
            try self.init(tokenKey: material)
        } catch {
            throw KeyringError(.crypto, "cannot derive the proof-of-work key: \(error.reason)")
        }
    }

    /// A new challenge for `petition` (or none) whose number is drawn uniformly from `0...maxNumber`, expiring
    /// ``lifetime`` after `now`.
    public func challenge(maxNumber: Int, petition: PetitionSlug? = nil, now: Date) throws(CryptoError) -> ProofOfWorkChallenge {
        let expires = Int64(now.timeIntervalSince1970.rounded(.down)) + Self.lifetime.components.seconds
        let binding = try ProofOfWorkSalt.Binding(maxNumber: maxNumber, petition: petition)
        let salt = ProofOfWorkSalt(random: try SecureRandom.bytes(count: 8), binding: binding, expires: expires)
        let number = Int(try SecureRandom.uniform(below: UInt64(max(0, maxNumber)) + 1))
        let challenge = Hex.encode(try Self.digest(salt: salt, number: number))
        return ProofOfWorkChallenge(
            algorithm: Self.algorithm, challenge: challenge, maxnumber: maxNumber, salt: salt.text, signature: try sign(challenge))
    }

    /// Checks a solution: the algorithm, the expiry, that the number solves the challenge, and that the challenge is
    /// ours; the comparisons take constant time. Returns what the store must remember as spent until it expires.
    public func verify(_ solution: ProofOfWorkSolution, now: Date) throws(ProofOfWorkError) -> SpentChallenge {
        guard solution.algorithm == Self.algorithm else { throw .malformed("the algorithm is not SHA-256") }
        guard Double(solution.salt.expires) > now.timeIntervalSince1970 else { throw .expired() }
        let digest: [UInt8]
        let signature: String
        do {
            digest = try Self.digest(salt: solution.salt, number: solution.number)
            signature = try sign(solution.challenge)
        } catch {
            throw .forged()
        }
        // Both checks run whatever the first says, so the time does not tell which failed.
        let solves = ConstantTime.equals(Array(Hex.encode(digest).utf8), Array(solution.challenge.utf8))
        let signed = ConstantTime.equals(Array(signature.utf8), Array(solution.signature.utf8))
        guard solves && signed else { throw .forged() }
        return SpentChallenge(digest: digest, expires: Date(timeIntervalSince1970: TimeInterval(solution.salt.expires)))
    }

    /// `SHA-256(salt ‖ number)`, the number in decimal; the challenge is its hex.
    static func digest(salt: ProofOfWorkSalt, number: Int) throws(CryptoError) -> [UInt8] {
        try SHA256.hash(Array((salt.text + String(number)).utf8))
    }

    private func sign(_ challenge: String) throws(CryptoError) -> String {
        Hex.encode(try mac.authenticate(Array(challenge.utf8)))
    }
}
