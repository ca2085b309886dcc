/// The events of an epoch that is closing, held in 48 bytes each and put into log order, which a database store reads
/// once from a snapshot (signers' writes do not wait for the read nor the sort) and appends
/// ``CountEpochPolicy/slice`` leaves to a transaction (`Docs/storage.md`, "Closing a count epoch").
///
/// A million events take 48 MB here (and up to half as much again while they sort), where a million ``CountEvent``s,
/// each with its commitment in an array of its own, took several times that.
public struct ClosingCountEpoch: Sendable {
    /// An event's place in log order, which ``CountEvent/epochOrder(_:_:)`` is defined by: a commitment's events by
    /// their commitment, a confirm before a withdrawal of the same commitment, a shred last.
    struct Key: Sendable, Comparable {
        /// 0 for a confirm or withdraw, 1 for a shred.
        let group: UInt8
        /// The commitment's 32 bytes as four big-endian words (zero for a shred): they compare as the bytes do.
        let words: (UInt64, UInt64, UInt64, UInt64)
        /// 0 for a confirm, 1 for a withdraw.
        let withdraw: UInt8

        init(_ kind: CountEvent.Kind) {
            func words(_ c: ReceiptCommitment) -> (UInt64, UInt64, UInt64, UInt64) {
                func word(_ at: Int) -> UInt64 { c.bytes[at..<at + 8].reduce(0) { $0 << 8 | UInt64($1) } }
                return (word(0), word(8), word(16), word(24))
            }
            switch kind {
            case .confirm(let c): (group, self.words, withdraw) = (0, words(c), 0)
            case .withdraw(let c): (group, self.words, withdraw) = (0, words(c), 1)
            case .shred: (group, self.words, withdraw) = (1, (0, 0, 0, 0), 0)
            }
        }

        var kind: CountEvent.Kind {
            get throws(CountLogError) {
                guard group == 0 else { return .shred }
                var bytes: [UInt8] = []
                bytes.reserveCapacity(ReceiptCommitment.length)
                for word in [words.0, words.1, words.2, words.3] {
                    for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: word >> UInt64(shift))) }
                }
                let c = try ReceiptCommitment(bytes: bytes)
                return withdraw == 0 ? .confirm(c) : .withdraw(c)
            }
        }

        static func < (lhs: Key, rhs: Key) -> Bool {
            (lhs.group, lhs.words.0, lhs.words.1, lhs.words.2, lhs.words.3, lhs.withdraw)
                < (rhs.group, rhs.words.0, rhs.words.1, rhs.words.2, rhs.words.3, rhs.withdraw)
        }

        static func == (lhs: Key, rhs: Key) -> Bool { !(lhs < rhs) && !(rhs < lhs) }
    }

    /// The epoch's number.
    public let number: Int
    private var keys: [Key] = []
    private var inOrder = true

    public init(number: Int) {
        self.number = number
    }

    /// Adds one of the epoch's events, in any order.
    public mutating func add(_ kind: CountEvent.Kind) {
        let key = Key(kind)
        if let last = keys.last, key < last { inOrder = false }
        keys.append(key)
    }

    /// Puts the events into log order, once all are added.
    public mutating func sort() {
        guard !inOrder else { return }
        keys.sort()
        inOrder = true
    }

    /// How many events the epoch holds.
    public var count: Int { keys.count }

    /// The leaves at `range` of the epoch's log order (clamped to the epoch); refused before ``sort()``.
    public func events(_ range: Range<Int>) throws(CountLogError) -> [CountEvent] {
        guard inOrder else { throw CountLogError(.malformedEntry, reason: "epoch \(number)'s events were not sorted before their leaves were taken") }
        var events: [CountEvent] = []
        for key in keys[range.clamped(to: 0..<keys.count)] { events.append(CountEvent(try key.kind, epoch: number)) }
        return events
    }
}

/// The next step of appending a closing epoch's leaves, decided from the log as it stands: a database store runs one
/// step to a transaction, under the lock that orders closes, until it has published the epoch or found it published.
/// Deciding from the log each time makes a close cut short (a crash, a lost connection) or joined by a second instance
/// carry on where the log is, and append nothing twice.
public enum CountEpochAppend: Sendable, Equatable {
    /// Append `leaves` from log position `at`.
    case append(at: Int, leaves: [CountEvent])
    /// Every leaf is appended: publish the log's size as the end of `entries`, the epoch's positions.
    case publish(entries: Range<Int>)
    /// The epoch is published already.
    case published

    /// `openEpoch` is the petition's open epoch now, `published` the log's published size, `end` one past its last
    /// entry, `last` that entry's bytes.
    ///
    /// An epoch opens only once the one before is published, so an open epoch past the next one means this one is
    /// published, even when later epochs' leaves follow it: a close that stalled while others finished it and closed the
    /// next appends nothing.
    public init(_ epoch: ClosingCountEpoch, openEpoch: Int, published: Int, end: Int, last: [UInt8]?, slice: Int) throws(CountLogError) {
        let lastEvent = try last.map { (entry) throws(CountLogError) in try CountEvent(entry: entry) }
        if openEpoch > epoch.number + 1 || (end == published && lastEvent?.epoch == epoch.number) {
            self = .published
            return
        }
        // The leaves appended past the published size are this epoch's first ones, in its order.
        let appended = end - published
        guard appended >= 0, appended <= epoch.count else {
            throw CountLogError(.malformedEntry, reason: "the count log has \(appended) unpublished leaves and epoch \(epoch.number) has \(epoch.count) events")
        }
        if appended > 0, try epoch.events(appended - 1..<appended).first?.entry != last {
            throw CountLogError(.malformedEntry, reason: "the count log's last unpublished leaf is not epoch \(epoch.number)'s leaf \(appended - 1)")
        }
        if appended == epoch.count {
            self = .publish(entries: published..<end)
        } else {
            self = .append(at: end, leaves: try epoch.events(appended..<min(appended + max(1, slice), epoch.count)))
        }
    }

    /// Whether another step follows this one.
    public var continues: Bool {
        if case .append = self { true } else { false }
    }

    /// What the close of epoch `number` reports when this step is its last: the epoch, if this step published its
    /// leaves, and `nil` when another call published it.
    public func closed(number: Int) -> ClosedCountEpoch? {
        guard case .publish(let entries) = self, !entries.isEmpty else { return nil }
        return ClosedCountEpoch(number: number, entries: entries)
    }
}
