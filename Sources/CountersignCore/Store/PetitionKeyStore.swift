import Foundation

/// The wrapped petition keys: crypto-shredding, master re-wrap and emergency re-keying.
public protocol PetitionKeyStore: Sendable {
    /// Crypto-shredding: for a closed petition (``KeyChangeAdmission/admitShred(at:)``), deletes the wrapped key, every
    /// pseudonym (signatures and pending rows) and keeps the aggregates.
    func shredPetitionKey(_ slug: PetitionSlug, at date: Date) async throws(StoreError)

    /// After a shred, asks the engine to drop the copies it keeps of deleted and overwritten rows: SQLite vacuums and
    /// truncates its write-ahead log; PostgreSQL vacuums the tables that held the key and the pseudonyms. Copies in
    /// backups and in PostgreSQL's WAL remain; destroying the master keys (``PetitionShredding``) is what makes them useless.
    func purgeDeletedCopies() async throws(StoreError)

    /// Replaces wrapped petition keys (master rotation), all in one transaction: each petition whose wrapped
    /// key and layers are still `from` gets `to`; a petition changed meanwhile is left alone. Returns the petitions changed.
    func rewrapPetitionKeys(_ changes: [WrappedKeyChange]) async throws(StoreError) -> [PetitionSlug]

    /// Emergency re-keying, in one transaction: appends `layer` to the petition's key layers and replaces
    /// every stored pseudonym `P` of the petition (signatures and pending rows) with `transform(P)`.
    /// Refuses what ``KeyChangeAdmission/admitRekey(after:)`` refuses. Returns how many pseudonyms changed.
    func rekey(
        _ slug: PetitionSlug, after layers: Int, layer: WrappedPetitionKey, transform: @escaping @Sendable (Pseudonym) throws -> Pseudonym
    ) async throws(StoreError) -> Int
}
