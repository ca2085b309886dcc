import Foundation

/// The count logs (`Audit/CountLog/`), one per petition: the events of its open epoch, waiting, and the leaves of the
/// epochs closed so far. A confirmation adds `confirm c` to the open epoch, a withdrawal of a signature that has a
/// commitment `withdraw c`, a shred `shred`, each in the same transaction as the change it logs.
public protocol CountLogStore: Sendable {
    /// Closes petition `slug`'s open epoch if ``CountEpoch/decide(_:now:policy:)`` says so at `now` under `policy`, in
    /// one transaction that confirmations and withdrawals of the petition wait for: reads the epoch's summary
    /// (``OpenCountEpoch``; a database store reads it from indexes), and only when it closes reads its events, appends
    /// their entries, deletes them and opens the next epoch. Returns the epoch closed, or `nil`.
    func closeCountEpoch(_ slug: PetitionSlug, at now: Date, policy: CountEpochPolicy) async throws(StoreError) -> CountEpoch?

    /// The entries of petition `slug`'s count log in `range`, fewer at the end.
    func countEntries(_ slug: PetitionSlug, _ range: Range<Int>) async throws(StoreError) -> [[UInt8]]

    /// How many entries petition `slug`'s count log holds.
    func countEntryCount(_ slug: PetitionSlug) async throws(StoreError) -> Int
}

/// A petition's open epoch as ``CountLogStore/closeCountEpoch(_:at:policy:)`` reads it under its lock, before it reads
/// any event: what ``CountEpoch/decide(_:now:policy:)`` needs, and no more.
public struct OpenCountEpoch: Sendable, Equatable {
    /// The epoch's number: how many epochs closed before it.
    public var number: Int
    /// The hour of its oldest event, or `nil` when none waits.
    public var oldestHour: Date?
    /// Whether a `shred` waits in it.
    public var holdsShred: Bool
    /// The events waiting in it, counted up to the policy's ``CountEpochPolicy/minimumEvents``: past that, how many
    /// does not change the decision, and a store need not count them.
    public var events: Int
    /// Whether the petition still takes confirmations.
    public var acceptingSignatures: Bool

    public init(number: Int, oldestHour: Date?, holdsShred: Bool, events: Int, acceptingSignatures: Bool) {
        self.number = number
        self.oldestHour = oldestHour
        self.holdsShred = holdsShred
        self.events = events
        self.acceptingSignatures = acceptingSignatures
    }

    /// The summary of `pending`, counted up to `limit`: for a store that holds its events in memory.
    public init(number: Int, pending: [PendingCountEvent], countingUpTo limit: Int, acceptingSignatures: Bool) {
        self.init(
            number: number, oldestHour: pending.map(\.hour).min(), holdsShred: pending.contains { $0.kind == .shred },
            events: min(pending.count, limit), acceptingSignatures: acceptingSignatures)
    }
}
