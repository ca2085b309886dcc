import CountersignCore
import Foundation

/// Signs per network and per email domain over the last hour, in memory only: the rule behind ``TrendMonitor``, which
/// gives it the time and acts on the crossings it returns. Documented for operators in `Docs/operations.md`.
///
/// **Counting.** Signs are tallied by UTC clock hour. A subject's signs at time `t` estimate its signs in the 60 minutes
/// before `t`, a sliding window made of two fixed ones:
///
///     signs(t) = this hour's tally + ⌊last hour's tally × (1 − seconds past the hour / 3600)⌋
///
/// so a flood that straddles the hour is seen whole. Tallies of the hour before last are dropped: nothing counted lives
/// longer than two hours.
///
/// **Crossings.** When `signs(t)` reaches ``TrendThresholds/warning`` the counter returns a warning, and when it reaches
/// ``TrendThresholds/alert`` an alert; each at most once an hour per subject (3600 s after the last of its level).
///
/// **Naming.** A network is named by its opaque ``NetworkID``. A domain is named only once at least
/// ``distinctSigners`` distinct pseudonyms of one petition signed from it, this hour or the last: the pseudonyms of one
/// petition stand for distinct addresses, whereas one address has a pseudonym on every petition. Until then it is not
/// reported at all. Only ``Pseudonym/tableKey`` is kept, at most ``distinctSigners`` per petition and domain, and none
/// once the domain may be named.
///
/// **Bounds.** At most ``capacity`` subjects an hour; a new subject past that is not counted, and the first one an hour
/// is reported (``Outcome/tableFull``).
struct TrendCounter {
    /// What is counted.
    enum Subject: Hashable {
        case network(NetworkID)
        case domain(String)

        var kind: Crossing.Kind {
            switch self {
            case .network: .network
            case .domain: .domain
            }
        }
    }

    /// A subject's signs reached a threshold.
    struct Crossing: Equatable, Sendable {
        enum Kind: String, Sendable { case network, domain }
        enum Level: String, Sendable { case warning, alert }

        let level: Level
        let kind: Kind
        /// The network's id, or the domain (reported only once it may be named).
        let name: String
        /// The signs in the last 60 minutes, as estimated above.
        let signs: Int
        let threshold: Int
    }

    /// What one sign changed.
    struct Outcome: Equatable {
        var crossings: [Crossing] = []
        /// The table was full and this is the first subject it left uncounted this hour.
        var tableFull = false
    }

    private struct Tally {
        var count = 0
        /// Pseudonym keys seen, by petition, at most ``distinctSigners`` each; emptied once the domain may be named.
        var signers: [PetitionSlug: Set<UInt64>] = [:]
        var nameable = false
        var warned: Date?
        var alerted: Date?

        func last(_ level: Crossing.Level) -> Date? { level == .warning ? warned : alerted }

        mutating func mark(_ level: Crossing.Level, at date: Date) {
            if level == .warning { warned = date } else { alerted = date }
        }
    }

    static let distinctSigners = 10
    static let hour: TimeInterval = 3600

    let thresholds: TrendThresholds
    let capacity: Int
    private var hourIndex = Int.min
    private var current: [Subject: Tally] = [:]
    private var previous: [Subject: Tally] = [:]
    private var reportedFull = false

    init(thresholds: TrendThresholds, capacity: Int = 50_000) {
        self.thresholds = thresholds
        self.capacity = capacity
    }

    /// How many subjects are held now, this hour and the last.
    var trackedSubjects: Int { current.count + previous.count }

    /// Counts one sign of `subject` at `date`; for a domain, `signer` is the petition and the pseudonym's
    /// ``Pseudonym/tableKey``.
    mutating func record(_ subject: Subject, signer: (petition: PetitionSlug, key: UInt64)? = nil, at date: Date) -> Outcome {
        turnOver(to: date)
        guard var tally = current[subject] ?? (current.count < capacity ? Tally() : nil) else {
            defer { reportedFull = true }
            return Outcome(tableFull: !reportedFull)
        }
        let last = previous[subject]
        tally.count += 1
        if let signer, !tally.nameable {
            var seen = tally.signers[signer.petition] ?? []
            seen.insert(signer.key)
            tally.signers[signer.petition] = seen
            if seen.count >= Self.distinctSigners {
                tally.nameable = true
                tally.signers = [:]
            }
        }
        let elapsed = date.timeIntervalSince1970 - Double(hourIndex) * Self.hour
        let carried = Int((Double(last?.count ?? 0) * min(1, max(0, 1 - elapsed / Self.hour))).rounded(.down))
        let signs = tally.count + carried
        var outcome = Outcome()
        // A domain too few signers used is not reported at all, not even unnamed: the position of the request that
        // crossed a threshold would tell someone padding the count how many others signed from it.
        let nameable = tally.nameable || last?.nameable == true
        for level in [Crossing.Level.warning, .alert] where signs >= threshold(level) && (subject.kind == .network || nameable) {
            let before = [tally.last(level), last?.last(level)].compactMap { $0 }.max()
            guard before.map({ date.timeIntervalSince($0) >= Self.hour }) ?? true else { continue }
            tally.mark(level, at: date)
            let named = name(subject)
            outcome.crossings.append(Crossing(level: level, kind: subject.kind, name: named, signs: signs, threshold: threshold(level)))
        }
        current[subject] = tally
        return outcome
    }

    private func threshold(_ level: Crossing.Level) -> Int { level == .warning ? thresholds.warning : thresholds.alert }

    /// How a crossing names `subject`: a network by its id, a domain only when it may be named.
    private func name(_ subject: Subject) -> String {
        switch subject {
        case .network(let id): id.description
        case .domain(let domain): domain
        }
    }

    /// Moves to `date`'s clock hour: this hour's tallies become the last hour's, older ones go. A clock that steps back
    /// keeps counting in the hour it is in.
    private mutating func turnOver(to date: Date) {
        let index = Int((date.timeIntervalSince1970 / Self.hour).rounded(.down))
        guard index > hourIndex else { return }
        previous = index == hourIndex + 1 ? current : [:]
        current = [:]
        hourIndex = index
        reportedFull = false
    }
}
