import Foundation
import Synchronization

/// At most ``limit`` "you already signed" mails a UTC day per pseudonym, so the sign form cannot be used
/// to flood someone's inbox. Kept in memory only; a restart forgets it, which errs on the side of mailing.
public final class AlreadySignedLimiter: Sendable {
    public let limit: Int
    private struct Sent {
        var day = ""
        var counts: [Pseudonym: Int] = [:]
    }

    private let sent = Mutex(Sent())

    public init(limit: Int = 3) {
        self.limit = limit
    }

    /// Counts one more mail to `pseudonym` on `date`'s day; returns whether it may be sent.
    public func allow(_ pseudonym: Pseudonym, at date: Date) -> Bool {
        let day = UTCDay.of(date)
        return sent.withLock { state in
            if state.day != day { state = Sent(day: day) }
            let count = state.counts[pseudonym, default: 0]
            guard count < limit else { return false }
            state.counts[pseudonym] = count + 1
            return true
        }
    }
}
