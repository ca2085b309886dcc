import CountersignCore
import CountersignCrypto
import Synchronization

/// Signs each petition's count checkpoint (``CountCheckpoint``) with the keys that sign the audit checkpoint
/// (``CheckpointSigner/signingKeys()``), under the count log's own origin, and keeps the signed note per petition
/// until the log grows or the keyring changes: a `GET /count/{slug}/checkpoint` of an unchanged log does no signing work.
///
/// The served checkpoint also carries the cosignatures witnesses returned for exactly its body, kept per petition as
/// the audit checkpoint's are (``WitnessCosignatures``).
final class CountCheckpointSigner: Sendable {
    let signer: CheckpointSigner
    let logs: CountLogCache
    private let notes = Mutex<[PetitionSlug: (size: Int, keyring: Keyring, note: SignedNote)]>([:])
    private let cosignatures = Mutex<[PetitionSlug: WitnessCosignatures]>([:])

    init(signer: CheckpointSigner, logs: CountLogCache) {
        self.signer = signer
        self.logs = logs
    }

    /// Petition `slug`'s current count checkpoint, signed, with every cosignature received for it.
    func checkpoint(_ slug: PetitionSlug) async throws -> SignedNote {
        let note = try await signed(logs.current(slug), slug)
        return note.adding(cosignatures(slug).lines(for: note.text))
    }

    /// The checkpoint of `snapshot`, signed by the log keys only; signed afresh only when the size or the keyring changed.
    func signed(_ snapshot: CountLogCache.Snapshot, _ slug: PetitionSlug) async throws -> SignedNote {
        let keyring = signer.service.keyring
        if let held = notes.withLock({ $0[slug] }), held.size == snapshot.size, held.keyring == keyring { return held.note }
        let note = try snapshot.checkpoint.signed(by: await signer.signingKeys())
        // The keys were read after the keyring above (the signer may have adopted a newer file): keep the one in use now.
        notes.withLock { $0[slug] = (snapshot.size, signer.service.keyring, note) }
        return note
    }

    /// Petition `slug`'s count log as the witnesses get it (``WitnessSubmitter``): its checkpoint signed as served, and
    /// the tree it proves consistency in, built from the cached entries when the submitter asks (not per request).
    func witnessed(_ slug: PetitionSlug) -> WitnessSubmitter.Log {
        WitnessSubmitter.Log(
            origin: logs.origin(slug), size: { [logs] in try await logs.store.countEntryCount(slug) },
            signed: { [self] in
                let snapshot = try await logs.current(slug)
                return (try MerkleTree(entries: snapshot.layout.entries), try await signed(snapshot, slug))
            },
            cosignatures: cosignatures(slug))
    }

    /// The cosignatures witnesses returned for petition `slug`'s count checkpoints.
    func cosignatures(_ slug: PetitionSlug) -> WitnessCosignatures {
        cosignatures.withLock { held in
            if let existing = held[slug] { return existing }
            let created = WitnessCosignatures()
            held[slug] = created
            return created
        }
    }
}
