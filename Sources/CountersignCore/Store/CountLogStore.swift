import Foundation

/// The count logs (`Audit/CountLog/`), one per petition: the events of its open epoch, waiting, and the leaves of the
/// epochs closed so far. A confirmation adds `confirm c` to the open epoch, a withdrawal of a signature that has a
/// commitment `withdraw c`, a shred `shred`, each in the same transaction as the change it logs.
public protocol CountLogStore: Sendable {
    /// Closes petition `slug`'s open epoch if ``CountEpoch/decide(_:now:policy:)`` says so at `now` under `policy`.
    /// Returns the epoch closed, or `nil`.
    ///
    /// A database store closes in bounded steps, each its own transaction, so that a surge's million events never stop
    /// signers' writes for more than one step (`Docs/storage.md`, "Closing a count epoch"):
    /// 1. under a lock that confirmations and withdrawals wait for, it reads the open epoch's summary
    ///    (``OpenCountEpoch``, from indexes) and, if it closes, opens the next epoch, so that new events wait there;
    /// 2. it reads the closed epoch's events from a snapshot, which no writer waits for, into a ``ClosingCountEpoch``;
    /// 3. it appends their leaves, ``CountEpochPolicy/slice`` at a time, and publishes the log's new size, which is all
    ///    ``countEntryCount(_:)`` and ``countEntries(_:_:)`` show (``CountEpochAppend`` decides each step);
    /// 4. it deletes the epoch's events, a slice at a time.
    ///
    /// A close cut short (a crash, a lost connection) is finished by the next call before anything else, so the epoch
    /// is published whole, once, and the log only ever grows by whole epochs. Only the call that publishes an epoch
    /// returns it.
    func closeCountEpoch(_ slug: PetitionSlug, at now: Date, policy: CountEpochPolicy) async throws(StoreError) -> ClosedCountEpoch?

    /// The entries of petition `slug`'s count log in `range`, fewer at the end; none past the published size.
    func countEntries(_ slug: PetitionSlug, _ range: Range<Int>) async throws(StoreError) -> [[UInt8]]

    /// How many entries petition `slug`'s count log holds: its published size, whole epochs only.
    func countEntryCount(_ slug: PetitionSlug) async throws(StoreError) -> Int
}

/// An epoch that ``CountLogStore/closeCountEpoch(_:at:policy:)`` closed: its number and where its leaves are in the log.
public struct ClosedCountEpoch: Sendable, Equatable {
    /// The epoch's number.
    public let number: Int
    /// The log positions of its leaves.
    public let entries: Range<Int>

    public init(number: Int, entries: Range<Int>) {
        self.number = number
        self.entries = entries
    }
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
