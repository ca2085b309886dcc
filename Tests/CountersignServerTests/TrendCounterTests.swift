import CountersignCore
@testable import CountersignServer
import Foundation
import NIOCore
import Testing

@Suite("Trend counter")
struct TrendCounterTests {
    /// The start of a UTC hour.
    let hour = Date(timeIntervalSince1970: TimeInterval(1_800_000_000 - 1_800_000_000 % 3600))
    let petition = try! PetitionSlug("a-petition")
    let network = try! NetworkIdentifier().id(of: SocketAddress(ipAddress: "198.51.100.7", port: 1))

    /// `count` signs of `subject`, a second apart from `start`; the crossings they caused, in order.
    func signs(
        _ count: Int, of subject: TrendCounter.Subject, on counter: inout TrendCounter, from start: Date,
        signer: (Int) -> (petition: PetitionSlug, key: UInt64)? = { _ in nil }
    ) -> [TrendCounter.Crossing] {
        (0..<count).flatMap { n in counter.record(subject, signer: signer(n), at: start.addingTimeInterval(Double(n))).crossings }
    }

    @Test("the warning comes at the warning threshold, the alert at the alert threshold, each once in the hour")
    func thresholds() {
        var counter = TrendCounter(thresholds: TrendThresholds(warning: 100, alert: 200))
        let crossings = signs(99, of: .network(network), on: &counter, from: hour)
        #expect(crossings.isEmpty)
        let warning = counter.record(.network(network), at: hour.addingTimeInterval(100)).crossings
        #expect(warning == [.init(level: .warning, kind: .network, name: network.description, signs: 100, threshold: 100)])
        let rest = signs(400, of: .network(network), on: &counter, from: hour.addingTimeInterval(101))
        #expect(rest == [.init(level: .alert, kind: .network, name: network.description, signs: 200, threshold: 200)])
    }

    @Test("the defaults are 100 and 200 signs an hour")
    func defaults() throws {
        #expect(TrendThresholds() == TrendThresholds(warning: 100, alert: 200))
        #expect(throws: (any Error).self) { try TrendThresholds.checked(0, option: "--alert-warn") }
        #expect(try TrendThresholds.checked(1, option: "--alert-warn") == 1)
    }

    @Test("subjects are counted apart: another network or a domain does not add to a network's signs")
    func apart() throws {
        var counter = TrendCounter(thresholds: TrendThresholds(warning: 3, alert: 5))
        let other = try NetworkIdentifier().id(of: SocketAddress(ipAddress: "203.0.113.1", port: 1))
        #expect(signs(2, of: .network(network), on: &counter, from: hour).isEmpty)
        #expect(signs(2, of: .network(other), on: &counter, from: hour).isEmpty)
        #expect(signs(2, of: .domain("example.org"), on: &counter, from: hour).isEmpty)
        #expect(counter.record(.network(network), at: hour.addingTimeInterval(10)).crossings.map(\.level) == [.warning])
    }

    @Test("once an hour: a flood that goes on warns and alerts again only 3600 s after the last time")
    func oncePerHour() {
        var counter = TrendCounter(thresholds: TrendThresholds(warning: 10, alert: 20))
        // Two signs a minute for three hours.
        let crossings = (0..<360).flatMap { n in
            counter.record(.network(network), at: hour.addingTimeInterval(Double(n) * 30)).crossings.map { (n, $0.level) }
        }
        let warnings = crossings.filter { $0.1 == .warning }.map(\.0)
        let alerts = crossings.filter { $0.1 == .alert }.map(\.0)
        #expect(warnings == [9, 129, 249], "at the 10th sign, then 3600 s (120 signs) later each time")
        #expect(alerts == [19, 139, 259])
    }

    @Test("the last hour counts in proportion to what is left of its window, so a flood across the hour is seen whole")
    func slidingWindow() {
        var counter = TrendCounter(thresholds: TrendThresholds(warning: 100, alert: 1000))
        // 60 signs in the last ten minutes of one hour, then 50 in the first minute of the next.
        #expect(signs(60, of: .network(network), on: &counter, from: hour.addingTimeInterval(3000)).isEmpty)
        let next = hour.addingTimeInterval(3600)
        let crossings = signs(50, of: .network(network), on: &counter, from: next)
        // At 3600 + 40 s: 41 this hour + ⌊60 × (1 − 40/3600)⌋ = 41 + 59 = 100.
        #expect(crossings == [.init(level: .warning, kind: .network, name: network.description, signs: 100, threshold: 100)])
    }

    @Test("the last hour still counts, in proportion to what is left of its window; the hour before last is dropped")
    func dropAfterTwoHours() {
        var counter = TrendCounter(thresholds: TrendThresholds(warning: 100, alert: 200))
        #expect(signs(99, of: .network(network), on: &counter, from: hour).isEmpty)
        #expect(counter.trackedSubjects == 1)
        var nextHour = counter
        #expect(nextHour.record(.network(network), at: hour.addingTimeInterval(3600)).crossings.map(\.signs) == [100])
        #expect(nextHour.trackedSubjects == 2, "this hour's tally and the last hour's")
        var lateNextHour = counter
        // 1 + ⌊99 × 1/3600⌋ = 1.
        #expect(lateNextHour.record(.network(network), at: hour.addingTimeInterval(2 * 3600 - 1)).crossings.isEmpty)
        var twoHoursOn = counter
        #expect(twoHoursOn.record(.network(network), at: hour.addingTimeInterval(2 * 3600)).crossings.isEmpty)
        #expect(twoHoursOn.trackedSubjects == 1, "the first hour's 99 signs are gone")
    }

    @Test("a domain is named only once 10 distinct pseudonyms of one petition signed from it")
    func tenDistinctSigners() throws {
        var counter = TrendCounter(thresholds: TrendThresholds(warning: 20, alert: 40))
        // 40 signs from 9 addresses: no warning, no alert (an unnamed one would count the others who signed from it).
        let few = signs(40, of: .domain("family.example"), on: &counter, from: hour) { n in (petition, UInt64(n % 9)) }
        #expect(few.isEmpty)
        // One address on ten petitions is still one signer: ten pseudonyms, one of each petition.
        let petitions = try (0..<10).map { try PetitionSlug("petition-\($0)") }
        let spread = signs(40, of: .domain("one.example"), on: &counter, from: hour) { n in (petitions[n % 10], UInt64(n % 10)) }
        #expect(spread.isEmpty)
        // Ten distinct signers of one petition: named.
        let many = signs(40, of: .domain("crowd.example"), on: &counter, from: hour) { n in (petition, UInt64(n % 10)) }
        #expect(many.map(\.name) == ["crowd.example", "crowd.example"])
        // The next hour, a domain named in the last one is still named.
        let later = counter.record(.domain("crowd.example"), signer: (petition, 1), at: hour.addingTimeInterval(3600 + 10))
        #expect(later.crossings.isEmpty, "warned and alerted less than an hour ago")
        var fresh = TrendCounter(thresholds: TrendThresholds(warning: 1, alert: 100))
        _ = signs(10, of: .domain("crowd.example"), on: &fresh, from: hour) { n in (petition, UInt64(n)) }
        let carried = fresh.record(.domain("crowd.example"), signer: (petition, 99), at: hour.addingTimeInterval(2 * 3600 - 1))
        #expect(carried.crossings.map(\.name) == ["crowd.example"], "named from the last hour's ten signers, warned again after an hour")
    }

    @Test("the table holds at most its capacity of subjects an hour; the first one left out is reported once")
    func capacity() {
        let networks = (0..<5).map { NetworkID(bytes: Array(repeating: UInt8($0), count: 16)) }
        var counter = TrendCounter(thresholds: TrendThresholds(warning: 2, alert: 3), capacity: 3)
        for n in 0..<3 { #expect(counter.record(.network(networks[n]), at: hour) == .init()) }
        #expect(counter.record(.network(networks[3]), at: hour) == .init(crossings: [], tableFull: true))
        #expect(counter.record(.network(networks[4]), at: hour) == .init(), "reported once an hour")
        #expect(counter.record(.network(networks[0]), at: hour).crossings.map(\.level) == [.warning], "known subjects still count")
        #expect(counter.trackedSubjects == 3)
        #expect(counter.record(.network(networks[4]), at: hour.addingTimeInterval(3600)) == .init(), "a new hour has room")
    }
}
