import CountersignCore
import CountersignCrypto
import Foundation

/// Signs the served checkpoint with every usable log key, and first makes sure those include the newest log key the
/// log names, which is the only one auditors count after a log-key rotation. The served checkpoint also carries the
/// cosignatures witnesses returned for exactly its body (``WitnessCosignatures``, filled by ``WitnessSubmitter``).
///
/// When several instances share a log, one of them can log a rotation before another has adopted the new keyring.
/// That instance re-reads the keyring file before it signs; if the key is still missing it answers 503 instead of a
/// checkpoint every auditor would fail, so a rotation needs no downtime.
struct CheckpointSigner: Sendable {
    let log: AuditLog
    let service: SigningService
    let file: KeyringFile
    var cosignatures = WitnessCosignatures()

    /// The current checkpoint with every cosignature received for it.
    func checkpoint() async throws -> SignedNote {
        let note = try await signed().note
        return note.adding(cosignatures.lines(for: note.text))
    }

    /// The log's tree and its checkpoint, signed by the log keys only, from one read of the entries.
    func signed() async throws -> (tree: MerkleTree, note: SignedNote) {
        let entries = try await log.entries()
        let keys = try signingKeys(auditEntries: entries)
        let tree = try AuditLog.tree(of: entries)
        return (tree, try log.checkpoint(of: tree, signedBy: keys))
    }

    /// The usable log keys, primary first, read after reading the audit log: the keys every checkpoint of this service
    /// is signed by, the audit checkpoint and the count checkpoints (``CountCheckpointSigner``) alike.
    func signingKeys() async throws -> [Ed25519PrivateKey] {
        try signingKeys(auditEntries: await log.entries())
    }

    /// The usable log keys, primary first, once they include the newest log key `entries` name (re-reading the
    /// keyring file if this instance lacks it; 503 if the file lacks it too).
    private func signingKeys(auditEntries entries: [String]) throws -> [Ed25519PrivateKey] {
        if let newest = AuditLog.newestLogKey(in: entries), !Self.holds(newest, service.keyring) {
            let keyring = try file.load()
            if keyring != service.keyring { try service.useKeyring(keyring) }
            guard Self.holds(newest, keyring) else { throw APIError.logKeyMissing(kid: newest) }
        }
        return try AuditLog.signingKeys(service.keyring)
    }

    /// Whether `keyring` can sign with the log key `kid`.
    private static func holds(_ kid: String, _ keyring: Keyring) -> Bool {
        keyring.keys(.log).contains { $0.kidHex == kid && $0.status.acceptsExistingWork && $0.material != nil }
    }
}
