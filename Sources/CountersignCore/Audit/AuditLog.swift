import CountersignCrypto

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

    /// Appends `event`; returns its index.
    @discardableResult
    public func append(_ event: AuditEvent) async throws(StoreError) -> Int {
        try await store.appendAuditEntry(event.text)
    }

    /// The Merkle tree of every entry so far.
    public func tree() async throws -> MerkleTree {
        let count = try await store.auditEntryCount()
        return try MerkleTree(entries: try await store.auditEntries(0..<count).map { Array($0.utf8) })
    }

    /// The current checkpoint, signed by each of `keys` (several during a log-key rotation).
    public func checkpoint(signedBy keys: [Ed25519PrivateKey]) async throws -> SignedNote {
        let tree = try await tree()
        return try SignedNote.sign(Checkpoint(origin: origin, size: tree.size, rootHash: try tree.root()).text, name: origin, keys: keys)
    }
}
