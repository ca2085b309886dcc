import Foundation
import Synchronization

/// At most ``limit`` mails a UTC day per pseudonym, whatever their kind (a confirmation link, "you already signed",
/// a withdrawal link, "this address has not signed"), so that the forms cannot flood an inbox, and so that the number
/// of mails an address gets says nothing about whether it signed.
///
/// It is asked before the signer's rows are read: past the limit a request writes nothing and mails nothing, in every
/// state. It lives in memory, per instance, and forgets at midnight UTC or on a restart (`Docs/service.md` says what
/// that means with several instances). The table holds at most ``capacity`` pseudonyms a day; once full, a pseudonym
/// not in it is let through uncounted, the same for every state, rather than refused, so that filling the table
/// cannot stop new signers. The per-network rate limit bounds how fast anyone can fill it.
public final class MailCap: Sendable {
    public let limit: Int
    public let capacity: Int

    private struct Day {
        var day = ""
        /// Mails sent, by ``Pseudonym/tableKey``.
        var counts: [UInt64: UInt8] = [:]
    }

    private let today = Mutex(Day())

    public init(limit: Int = 5, capacity: Int = 1_000_000) {
        self.limit = min(max(0, limit), Int(UInt8.max))
        self.capacity = max(0, capacity)
    }

    /// Counts one more mail to `pseudonym` on `date`'s UTC day; returns whether it may be sent.
    public func allow(_ pseudonym: Pseudonym, at date: Date) -> Bool {
        let day = UTCDay.of(date)
        let key = pseudonym.tableKey
        return today.withLock { state in
            if state.day != day { state = Day(day: day) }
            guard let count = state.counts[key] else {
                if state.counts.count < capacity { state.counts[key] = 1 }
                return limit > 0
            }
            guard Int(count) < limit else { return false }
            state.counts[key] = count + 1
            return true
        }
    }
}
