import CountersignCore
import Foundation
import PropertyBased
import Testing

/// Plays random sequences of signs, withdrawals and exact releases over small tables against an adversary who solves
/// every release so far at once, and checks that no cell below k is ever pinned to an interval narrower than k.
///
/// The adversary has every release's exact total and shown cells, and the public live count, so it knows whether
/// anything changed between two releases, though not which cell. A completed day never changes (a withdrawal from one
/// ends exact day releases, ``PrivacyLedger``), so a day is one unknown across every release; a region is one unknown
/// across the releases between which the count did not move. It finds each withheld cell's feasible interval by
/// **exact enumeration** of the non-negative integer solutions (no LP relaxation, so no rounding), one connected group
/// of unknowns at a time.
@Suite("Exports that never subtract: an adversary solving every release")
struct ExportSubtractionTests {
    static let k = 3
    static let slug = try! PetitionSlug("p")

    /// One unknown: cell `cell` during one stretch in which it could not have changed.
    struct Unknown: Hashable {
        let cell: Int
        let version: Int
    }

    /// What a release tells the adversary: the shown values, and the sum of the withheld unknowns.
    struct Observed {
        var shown: [Unknown: Int]
        var withheld: [Unknown]
        var sum: Int
    }

    @Test("property, regions: after every release of a random history of signs and withdrawals, every withheld cell below k keeps an interval of at least k")
    func regionsAreNeverPinned() async {
        await propertyCheck(count: 200, input: Gen.int(in: 2...7), Gen.int(in: 0...5).array(of: 7), Gen.int(in: 0...29).array(of: 1...14)) {
            n, start, codes in
            var values = Array(start.prefix(n))
            // The live count shows that something changed, not what: every region is a new unknown after a change.
            var epoch = 0
            var releases: [Release] = []
            var observed: [Observed] = []
            for code in codes {
                switch code {
                case 0..<12:
                    values[code % n] += 1
                    epoch += 1
                case 12..<18 where values[code % n] > 0:
                    values[code % n] -= 1
                    epoch += 1
                case 18...:
                    Self.release(values, versions: Array(repeating: epoch, count: n), breakdown: .region, &releases, &observed, trace: "\(codes)")
                default:
                    break
                }
            }
        }
    }

    @Test("property, days: after every release of a random history of completed days, every withheld day below k keeps an interval of at least k")
    func daysAreNeverPinned() async {
        await propertyCheck(count: 150, input: Gen.int(in: 0...8).array(of: 2...10), Gen.bool.array(of: 10)) { days, releasesAfter in
            // Day d completes with `days[d]` signatures; a release may follow each completed day. A completed day never
            // changes, so it is one unknown in every release, and the live count at midnight gives the releases' total.
            var values: [Int] = []
            var releases: [Release] = []
            var observed: [Observed] = []
            for (day, count) in days.enumerated() {
                values.append(count)
                // A one-day table shows its day, which equals the public total; the property is about tables of two or more.
                if values.count >= 2, releasesAfter[day] || day == days.count - 1 {
                    Self.release(values, versions: Array(repeating: 0, count: values.count), breakdown: .day, &releases, &observed, trace: "\(days)")
                }
            }
        }
    }

    /// Releases `values` exactly as ``PetitionExport`` would after `releases`, records what the adversary sees, and
    /// checks every withheld cell below k against all releases so far.
    static func release(
        _ values: [Int], versions: [Int], breakdown: ExportBreakdown, _ releases: inout [Release], _ observed: inout [Observed], trace: String
    ) {
        let keys = values.indices.map { "c\($0)" }
        let history = ReleaseHistory.of(releases, breakdown: breakdown, keys: keys)
        let cells: [ExportCell]
        // propertyCheck swallows an error thrown by its body, so the refusal is caught and checked here.
        do throws(ExportError) {
            cells = try Suppression.apply(zip(keys, values).map { (key: $0, count: $1) }, k: k, history: history)
        } catch {
            #expect(error == .noSafeComplement)
            return
        }
        #expect(zip(cells, values).allSatisfy { $0.suppressed || $0.count == $1 })
        releases.append(Release(
            slug: slug, breakdown: breakdown.rawValue, epsilonMicros: nil, date: Date(), hidden: cells.filter(\.suppressed).map(\.key),
            completed: breakdown == .day ? Dictionary(uniqueKeysWithValues: zip(keys, values).map { ($0, $1) }) : [:]))
        var release = Observed(shown: [:], withheld: [], sum: values.reduce(0, +))
        for (index, cell) in cells.enumerated() {
            let unknown = Unknown(cell: index, version: versions[index])
            if let count = cell.count {
                release.shown[unknown] = count
                release.sum -= count
            } else {
                release.withheld.append(unknown)
            }
        }
        observed.append(release)
        let intervals = intervals(observed)
        for unknown in release.withheld where values[unknown.cell] < k {
            guard let interval = intervals[unknown] else {
                Issue.record("cell \(unknown.cell) (\(values[unknown.cell])) is known from an earlier release; values \(values), history \(trace)")
                continue
            }
            #expect(interval.contains(values[unknown.cell]))
            #expect(
                interval.upperBound - interval.lowerBound >= k,
                "cell \(unknown.cell) = \(values[unknown.cell]) pinned to \(interval) after \(observed.count) releases; values \(values), history \(trace)")
        }
    }

    @Test("the adversary pins what the old rule let through: 61 − 15 − 30 − 12 = 4")
    func adversaryFindsTheSubtraction() {
        // Release 1 shows all four cells; release 2 withholds the new small cell with a cell shown before.
        let a = Unknown(cell: 0, version: 0), b = Unknown(cell: 1, version: 0), c = Unknown(cell: 2, version: 0)
        let d = Unknown(cell: 3, version: 1)
        let first = Observed(shown: [a: 15, b: 12, c: 30, Unknown(cell: 3, version: 0): 0], withheld: [], sum: 0)
        let second = Observed(shown: [a: 15, c: 30], withheld: [b, d], sum: 16)
        #expect(Self.intervals([first, second])[d] == 4...4)
        #expect(Self.intervals([second])[d] == 0...16)
    }

    /// Each unknown's feasible interval over all releases, or no entry for an unknown some release showed (known).
    static func intervals(_ releases: [Observed]) -> [Unknown: ClosedRange<Int>] {
        var known: [Unknown: Int] = [:]
        for release in releases { known.merge(release.shown) { first, _ in first } }
        // Each release: the withheld unknowns nobody showed, and what they sum to.
        var constraints: [(unknowns: [Unknown], sum: Int)] = []
        for release in releases {
            let open = release.withheld.filter { known[$0] == nil }
            let sum = release.sum - release.withheld.compactMap { known[$0] }.reduce(0, +)
            if !open.isEmpty { constraints.append((open, sum)) }
        }
        var result: [Unknown: ClosedRange<Int>] = [:]
        for group in components(constraints) {
            result.merge(enumerate(group)) { first, _ in first }
        }
        return result
    }

    /// The constraints split into groups that share no unknown.
    static func components(_ constraints: [(unknowns: [Unknown], sum: Int)]) -> [[(unknowns: [Unknown], sum: Int)]] {
        var groups: [(unknowns: Set<Unknown>, constraints: [(unknowns: [Unknown], sum: Int)])] = []
        for constraint in constraints {
            let touching = groups.indices.filter { !groups[$0].unknowns.isDisjoint(with: constraint.unknowns) }
            var merged = (unknowns: Set(constraint.unknowns), constraints: [constraint])
            for index in touching.reversed() {
                merged.unknowns.formUnion(groups[index].unknowns)
                merged.constraints += groups[index].constraints
                groups.remove(at: index)
            }
            groups.append(merged)
        }
        return groups.map(\.constraints)
    }

    /// Every non-negative integer solution of one group, by depth-first search with the last unknown of a constraint
    /// forced; returns each unknown's smallest and largest value over the solutions.
    static func enumerate(_ constraints: [(unknowns: [Unknown], sum: Int)]) -> [Unknown: ClosedRange<Int>] {
        let unknowns = Array(Set(constraints.flatMap(\.unknowns))).sorted { ($0.cell, $0.version) < ($1.cell, $1.version) }
        let index = Dictionary(uniqueKeysWithValues: unknowns.enumerated().map { ($1, $0) })
        let rows = constraints.map { (members: $0.unknowns.compactMap { index[$0] }, sum: $0.sum) }
        let bound = unknowns.indices.map { variable in rows.filter { $0.members.contains(variable) }.map(\.sum).min() ?? 0 }
        var value = [Int?](repeating: nil, count: unknowns.count)
        var low = [Int](repeating: .max, count: unknowns.count), high = [Int](repeating: .min, count: unknowns.count)

        func consistent() -> Bool {
            rows.allSatisfy { row in
                let assigned = row.members.compactMap { value[$0] }
                let total = assigned.reduce(0, +)
                return assigned.count == row.members.count ? total == row.sum : total <= row.sum
            }
        }

        func search() {
            guard consistent() else { return }
            // A constraint with one unknown left decides it; otherwise try every value of the next unknown.
            for row in rows {
                let open = row.members.filter { value[$0] == nil }
                guard open.count == 1, let variable = open.first else { continue }
                let forced = row.sum - row.members.compactMap { value[$0] }.reduce(0, +)
                guard (0...bound[variable]).contains(forced) else { return }
                value[variable] = forced
                search()
                value[variable] = nil
                return
            }
            guard let variable = value.firstIndex(where: { $0 == nil }) else {
                for (variable, found) in value.enumerated() {
                    low[variable] = min(low[variable], found ?? 0)
                    high[variable] = max(high[variable], found ?? 0)
                }
                return
            }
            for candidate in 0...max(0, bound[variable]) {
                value[variable] = candidate
                search()
            }
            value[variable] = nil
        }

        search()
        var result: [Unknown: ClosedRange<Int>] = [:]
        for (variable, unknown) in unknowns.enumerated() where low[variable] <= high[variable] {
            result[unknown] = low[variable]...high[variable]
        }
        return result
    }
}
