import CountersignCore
import Foundation
import Testing

/// The rules every store applies, checked on their own: what each refuses, in which order, and what it says to write.
@Suite("Store rules")
struct StoreRulesTests {
    static let slug = try! PetitionSlug("a-petition")
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func request(layers: Int = 0, region: String? = nil) throws -> PendingRequest {
        PendingRequest(
            slug: slug, pseudonym: try Pseudonym(bytes: Array(repeating: 1, count: 32)), region: region,
            tokenID: try TokenID(bytes: Array(repeating: 2, count: 16)), expiresAt: now, keyLayers: layers)
    }

    @Test("admission checks the state, then the layers, then the region")
    func admissionOrder() throws {
        let paused = PetitionAdmission(slug: Self.slug, state: .paused, layerCount: 1, regionListed: false)
        #expect(throws: StoreError(.petitionNotOpen, "")) { try paused.admit(Self.request(), for: .confirm) }
        let open = PetitionAdmission(slug: Self.slug, state: .open, layerCount: 1, regionListed: false)
        #expect(throws: StoreError(.rekeyed, "")) { try open.admit(Self.request(), for: .confirm) }
        #expect(throws: StoreError(.invalidRegion, "")) { try open.admit(Self.request(layers: 1), for: .confirm) }
    }

    @Test("a paused petition takes withdrawal requests but no signs; a withdrawal keeps no region")
    func withdrawalAdmission() throws {
        let paused = PetitionAdmission(slug: Self.slug, state: .paused, layerCount: 0, regionListed: true)
        #expect(try paused.admit(Self.request(region: "North"), for: .withdraw).region == nil)
        #expect(throws: StoreError(.petitionNotOpen, "")) { try paused.admit(Self.request(), for: .confirm) }
        let closed = PetitionAdmission(slug: Self.slug, state: .closed, layerCount: 0, regionListed: true)
        #expect(throws: StoreError(.petitionNotOpen, "")) { try closed.admit(Self.request(), for: .withdraw) }
    }

    @Test("consuming a token: unknown, then the state, then a replay before an expiry, then the day and region to record")
    func consumptionOrder() throws {
        #expect(try PendingConsumption(nil, at: Self.now) == .refused(.unknown))
        var row = PendingRow(slug: Self.slug, state: .paused, purpose: .confirm, region: "North", expiresAt: Self.now, consumed: true)
        #expect(throws: StoreError(.petitionNotOpen, "")) { try PendingConsumption(row, at: Self.now) }
        row.state = .open
        #expect(try PendingConsumption(row, at: Self.now) == .refused(.replay))
        row.consumed = false
        #expect(try PendingConsumption(row, at: Self.now) == .refused(.expired))
        #expect(try PendingConsumption(row, at: Self.now.addingTimeInterval(-1)) == .consume(day: UTCDay.of(Self.now), region: "North"))
        row.purpose = .withdraw
        row.state = .paused
        #expect(try PendingConsumption(row, at: Self.now.addingTimeInterval(-1)) == .consume(day: UTCDay.of(Self.now), region: "North"))
    }

    @Test("a confirmation and its withdrawal cancel out in the aggregates, zero cells removed")
    func countDelta() {
        var aggregates = Aggregates()
        aggregates.apply(.confirmation(day: "2027-01-15", region: "North"))
        aggregates.apply(.confirmation(day: "2027-01-15", region: nil))
        #expect(aggregates == Aggregates(total: 2, byDay: ["2027-01-15": 2], byRegion: ["North": 1]))
        aggregates.apply(.withdrawal(day: "2027-01-15", region: "North"))
        aggregates.apply(.withdrawal(day: "2027-01-15", region: nil))
        #expect(aggregates == Aggregates())
    }

    @Test("a closed petition is final; the same state changes nothing")
    func transitions() throws {
        #expect(try PetitionState.open.transition(to: .paused, of: Self.slug))
        #expect(try !PetitionState.paused.transition(to: .paused, of: Self.slug))
        #expect(throws: StoreError(.invalidTransition, "")) { try PetitionState.closed.transition(to: .open, of: Self.slug) }
        #expect(try !PetitionState.closed.transition(to: .closed, of: Self.slug))
    }

    @Test("shredding needs a closed petition and logs one shred, the first time only; re-keying refuses a shredded key before a moved layer count")
    func keyChanges() throws {
        #expect(throws: StoreError(.invalidTransition, "")) {
            try KeyChangeAdmission(slug: Self.slug, state: .paused, shredded: false, layerCount: 0).admitShred(at: Date())
        }
        let date = Date(timeIntervalSince1970: 1_800_001_234)
        #expect(try KeyChangeAdmission(slug: Self.slug, state: .closed, shredded: false, layerCount: 0).admitShred(at: date)
            == PendingCountEvent(.shred, hour: date))
        #expect(try KeyChangeAdmission(slug: Self.slug, state: .closed, shredded: true, layerCount: 0).admitShred(at: date) == nil)
        let shredded = KeyChangeAdmission(slug: Self.slug, state: .closed, shredded: true, layerCount: 2)
        #expect(throws: StoreError(.invalidTransition, "")) { try shredded.admitRekey(after: 0) }
        #expect(throws: StoreError(.rekeyed, "")) {
            try KeyChangeAdmission(slug: Self.slug, state: .open, shredded: false, layerCount: 2).admitRekey(after: 1)
        }
    }

    @Test("an exact release merges into the latest exact release of that breakdown that day, its hidden keys added")
    func ledgerMerge() throws {
        let day = Self.now
        let earlier = [
            Release(slug: Self.slug, breakdown: "day", epsilonMicros: nil, date: day, hidden: ["a"]),
            Release(slug: Self.slug, breakdown: "region", epsilonMicros: nil, date: day),
            Release(slug: Self.slug, breakdown: "day", epsilonMicros: nil, date: day, hidden: ["b"]),
        ]
        let release = Release(slug: Self.slug, breakdown: "day", epsilonMicros: nil, date: day.addingTimeInterval(60), hidden: ["c", "b"])
        #expect(try PrivacyLedger.record(release, after: earlier, budgetMicros: 5_000_000) == .merge(seq: 2, hidden: ["b", "c"]))
        let tomorrow = Release(slug: Self.slug, breakdown: "day", epsilonMicros: nil, date: day.addingTimeInterval(86_400))
        #expect(try PrivacyLedger.record(tomorrow, after: earlier, budgetMicros: 5_000_000) == .insert(seq: 3))
    }

    @Test("an exact release showing a cell another exact release withheld meanwhile is refused (two releases built at once)")
    func concurrentReleases() throws {
        let day = Date(timeIntervalSince1970: 1_800_000_000)
        // Built at once: the first withheld A and B; the second, built before the first was recorded, withholds A and C.
        let first = Release(
            slug: Self.slug, breakdown: "region", epsilonMicros: nil, date: day, hidden: ["A", "B"], completed: ["A": 4, "B": 11, "C": 11, "D": 50])
        let second = Release(
            slug: Self.slug, breakdown: "region", epsilonMicros: nil, date: day, hidden: ["A", "C"], completed: ["A": 4, "B": 12, "C": 11, "D": 50])
        #expect(throws: StoreError(.releaseRefused, "")) { try PrivacyLedger.record(second, after: [first], budgetMicros: 5_000_000) }
        // Region counts move, and a region release is not refused for that.
        let later = Release(
            slug: Self.slug, breakdown: "region", epsilonMicros: nil, date: day, hidden: ["A", "B"], completed: ["A": 4, "B": 12, "C": 11, "D": 50])
        #expect(try PrivacyLedger.record(later, after: [first], budgetMicros: 5_000_000) == .merge(seq: 0, hidden: ["A", "B"]))
    }

    @Test("revoking by an id two tokens share is refused; an unknown id finds nothing")
    func revocation() throws {
        #expect(throws: StoreError(.invalidTransition, "")) { try AccessTokenRevocation.admit(id: "ab", matches: 2) }
        #expect(try AccessTokenRevocation.admit(id: "ab", matches: 1))
        #expect(try !AccessTokenRevocation.admit(id: "ab", matches: 0))
    }
}
