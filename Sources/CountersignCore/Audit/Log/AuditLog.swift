import CountersignCrypto
import Foundation

/// The audit log over a store: appends events and builds the Merkle tree and signed checkpoint that anyone
/// can check with the verifier key alone (`Docs/auditing.md`).
public struct AuditLog: Sendable {
    public let store: any SignatureStore
    /// The checkpoint origin line, such as `petitions.example.org/audit`.
    public let origin: String

    public init(store: any SignatureStore, origin: String) {
        self.store = store
        self.origin = origin
    }

    /// The checkpoint origin for a service at `publicURL`: its host and path, then `/audit`
    /// (`https://petitions.example.org` → `petitions.example.org/audit`).
    public static func origin(publicURL: String) -> String {
        let bare = publicURL.split(separator: "://", maxSplits: 1).last.map(String.init) ?? publicURL
        return bare.trimmingCharacters(in: CharacterSet(charactersIn: "/")) + "/audit"
    }

    /// The origin a log already carries: the name in the verifier key of its first log key, or `nil` while it has
    /// none. Commands and servers keep using it, so a log never changes its name under its auditors.
    public static func recordedOrigin(in store: any SignatureStore) async throws -> String? {
        let entries = try await store.auditEntries(0..<store.auditEntryCount())
        for case let event? in entries.lazy.map(AuditEvent.init(text:)) where event["purpose"] == KeyPurpose.log.rawValue {
            if let verifier = event["verifier"].flatMap({ try? SignedNote.Verifier(encoded: $0) }) { return verifier.name }
        }
        return nil
    }

    /// The keys that sign checkpoints: the primary log key first, then any verify-only log key that still has
    /// its material, so that after a log-key rotation checkpoints carry both signatures until the old key is
    /// destroyed.
    public static func signingKeys(_ keyring: Keyring) throws -> [Ed25519PrivateKey] {
        let keys = keyring.keys(.log).filter { $0.status.acceptsExistingWork && $0.material != nil }
        return try keys.sorted { ($0.status == .primary ? 0 : 1) < ($1.status == .primary ? 0 : 1) }.compactMap { key in
            try key.material.map { try Ed25519PrivateKey(seed: $0) }
        }
    }

    /// The key id (8 hex digits) of the newest log key that `entries` introduce, or `nil` while they name none. Once
    /// the log names it, auditors count only its signature (`checkpoint-signature`), so a checkpoint must carry it.
    public static func newestLogKey(in entries: [String]) -> String? {
        entries.lazy.reversed().compactMap(AuditEvent.init(text:)).first { event in
            (event.kind == .keyCreated || event.kind == .keyRotated) && event["purpose"] == KeyPurpose.log.rawValue
        }?["kid"]
    }

    /// Every entry so far.
    public func entries() async throws -> [String] {
        try await store.auditEntries(0..<store.auditEntryCount())
    }

    /// The Merkle tree of `entries`.
    public static func tree(of entries: [String]) throws -> MerkleTree {
        try MerkleTree(entries: entries.map { Array($0.utf8) })
    }

    /// The Merkle tree of every entry so far.
    public func tree() async throws -> MerkleTree {
        try Self.tree(of: await entries())
    }

    /// The current checkpoint, signed by each of `keys` (several during a log-key rotation).
    public func checkpoint(signedBy keys: [Ed25519PrivateKey]) async throws -> SignedNote {
        try checkpoint(of: await tree(), signedBy: keys)
    }

    /// The checkpoint of `tree`, signed by each of `keys`; the witness submitter signs the tree it proves consistency in.
    public func checkpoint(of tree: MerkleTree, signedBy keys: [Ed25519PrivateKey]) throws -> SignedNote {
        try SignedNote.sign(Checkpoint(origin: origin, size: tree.size, rootHash: try tree.root()).text, name: origin, keys: keys)
    }
}
