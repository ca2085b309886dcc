import Foundation

/// The count logs (`Audit/CountLog/`), one per petition: the events of its open epoch, waiting, and the leaves of the
/// epochs closed so far. A confirmation adds `confirm c` to the open epoch, a withdrawal of a signature that has a
/// commitment `withdraw c`, a shred `shred`, each in the same transaction as the change it logs.
public protocol CountLogStore: Sendable {
    /// Closes petition `slug`'s open epoch if `decide` returns one, in one transaction that confirmations and
    /// withdrawals of the petition wait for: appends the epoch's entries, deletes the events it took, and opens the
    /// next epoch. Returns the epoch closed, or `nil`.
    func closeCountEpoch(
        _ slug: PetitionSlug, deciding decide: @escaping @Sendable (OpenCountEpoch) throws -> CountEpoch?
    ) async throws(StoreError) -> CountEpoch?

    /// The entries of petition `slug`'s count log in `range`, fewer at the end.
    func countEntries(_ slug: PetitionSlug, _ range: Range<Int>) async throws(StoreError) -> [[UInt8]]

    /// How many entries petition `slug`'s count log holds.
    func countEntryCount(_ slug: PetitionSlug) async throws(StoreError) -> Int
}

/// A petition's open epoch as ``CountLogStore/closeCountEpoch(_:deciding:)`` reads it under its lock.
public struct OpenCountEpoch: Sendable, Equatable {
    /// The epoch's number: how many epochs closed before it.
    public var number: Int
    /// The events waiting in it.
    public var pending: [PendingCountEvent]
    /// Whether the petition still takes confirmations (``CountEpoch/decide(number:pending:now:policy:acceptingSignatures:)``).
    public var acceptingSignatures: Bool

    public init(number: Int, pending: [PendingCountEvent], acceptingSignatures: Bool) {
        self.number = number
        self.pending = pending
        self.acceptingSignatures = acceptingSignatures
    }
}
