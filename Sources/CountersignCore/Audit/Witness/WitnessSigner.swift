import CountersignCrypto
import Foundation

/// A witness's signing key and name: makes the ``Cosignature`` lines that `countersign witness serve` answers with.
/// The seed lives in the key's ``SecretBytes``.
public struct WitnessSigner: Sendable {
    public let name: String
    public let key: Ed25519PrivateKey

    /// A signer named `name`, which must be a valid signed-note key name (no spaces, no `+`), such as
    /// `witness.example.org/w1`.
    public init(name: String, key: Ed25519PrivateKey) throws(AuditError) {
        guard SignedNote.isValidKeyName(name) else {
            throw AuditError(.malformedWitnessKey, reason: "a witness name must be non-empty, with no spaces and no `+`, such as witness.example.org/w1")
        }
        self.name = name
        self.key = key
    }

    /// The public half, to publish.
    public var verifier: WitnessVerifier { WitnessVerifier(name: name, publicKey: key.publicKey) }

    /// Cosigns the checkpoint note body `body` at `time` (whole seconds since the Epoch).
    public func cosign(_ body: String, at time: Date) throws(AuditError) -> Cosignature {
        let timestamp = UInt64(max(0, time.timeIntervalSince1970.rounded(.down)))
        do {
            let signature = try key.signature(for: Cosignature.message(body: body, timestamp: timestamp))
            return Cosignature(name: name, keyID: try verifier.keyID, timestamp: timestamp, signature: signature)
        } catch {
            throw AuditError(.crypto, reason: error.reason)
        }
    }
}
