import CountersignCore
import CountersignTestSupport
import Foundation
import Testing

@Suite("Petition exports over time")
struct PetitionExportTests {
    static let slug = try! PetitionSlug("p")
    static let day = 86_400.0
    static let start = Date(timeIntervalSince1970: 1_800_000_000 - 1_800_000_000.truncatingRemainder(dividingBy: 86_400))

    /// A store holding the petition `p`, created at the start.
    static func store() async throws -> InMemorySignatureStore {
        let store = InMemorySignatureStore()
        try await store.createPetition(PetitionRecord(
            slug: slug, title: "P", text: "T", regions: [], salt: Array(repeating: 1, count: 16), wrappedKey: nil, createdAt: start))
        return store
    }

    /// Confirms `count` signatures on day `day` after the start.
    static func confirm(_ store: InMemorySignatureStore, _ count: Int, day: Int, first: Int) async throws {
        for n in first..<(first + count) {
            let token = try TokenID(bytes: (0..<16).map { UInt8(truncatingIfNeeded: n >> ($0 % 4 * 8)) &+ UInt8($0) })
            let pseudonym = try Pseudonym(bytes: (0..<32).map { UInt8(truncatingIfNeeded: n >> ($0 % 4 * 8)) ^ UInt8($0) })
            _ = try await store.sign(PendingRequest(slug: slug, pseudonym: pseudonym, tokenID: token, expiresAt: .distantFuture))
            _ = try await store.confirm(tokenID: token, at: start.addingTimeInterval(Double(day) * Self.day + 3600), commit: anyReceipt)
        }
    }

    @Test("a completed day hidden by one exact release stays hidden in the next, so the two cannot be subtracted")
    func hiddenDaysStayHidden() async throws {
        let store = try await Self.store()
        try await Self.confirm(store, 3, day: 0, first: 0)
        try await Self.confirm(store, 12, day: 1, first: 100)
        try await Self.confirm(store, 15, day: 2, first: 200)
        let export = PetitionExport(store: store)
        let first = try await export.table(Self.slug, by: .day, now: Self.start.addingTimeInterval(3 * Self.day + 60))
        #expect(first.cells.map(\.count) == [nil, nil, 15])
        // Day 3 gets 11 signatures. Choosing complements afresh would now hide day 0 and day 3 and show day 1 (12),
        // and day 0 would follow from the first release: 30 − 15 − 12 = 3.
        try await Self.confirm(store, 11, day: 3, first: 300)
        let second = try await export.table(Self.slug, by: .day, now: Self.start.addingTimeInterval(4 * Self.day + 60))
        #expect(second.cells[0].suppressed && second.cells[1].suppressed)
        #expect(second.cells.compactMap(\.count).allSatisfy { $0 >= 10 })
        #expect(Set(try await store.releases(Self.slug).flatMap(\.hidden)) == [UTCDay.of(Self.start), UTCDay.of(Self.start.addingTimeInterval(Self.day))])
    }

    @Test("the subtraction attack: a day an earlier release showed is never withheld as the complement of a new small day")
    func shownDaysAreNeverComplements() async throws {
        let store = try await Self.store()
        try await Self.confirm(store, 15, day: 0, first: 0)
        try await Self.confirm(store, 12, day: 1, first: 100)
        try await Self.confirm(store, 30, day: 2, first: 200)
        let export = PetitionExport(store: store)
        let first = try await export.table(Self.slug, by: .day, now: Self.start.addingTimeInterval(3 * Self.day + 60))
        #expect(first.cells.map(\.count) == [15, 12, 30])
        // Day 3 gets 4 signatures and the petition closes. Withholding day 3 with the smallest shown day (12) would let
        // anyone compute 61 − 15 − 30 − 12 = 4 from the first release: refused instead, as a conflict.
        try await Self.confirm(store, 4, day: 3, first: 300)
        try await store.setState(.closed, of: Self.slug, at: Self.start.addingTimeInterval(3 * Self.day + 7200))
        await #expect(throws: ExportError.noSafeComplement) {
            try await export.table(Self.slug, by: .day, now: Self.start.addingTimeInterval(4 * Self.day + 60))
        }
        #expect(try await store.releases(Self.slug).count == 1)
        #expect(ExportError.noSafeComplement.isConflict)
    }

    @Test("a new small day is withheld with another new day when there is one")
    func newDaysProtectEachOther() async throws {
        let store = try await Self.store()
        try await Self.confirm(store, 15, day: 0, first: 0)
        try await Self.confirm(store, 12, day: 1, first: 100)
        let export = PetitionExport(store: store)
        #expect(try await export.table(Self.slug, by: .day, now: Self.start.addingTimeInterval(2 * Self.day + 60)).cells.map(\.count) == [15, 12])
        try await Self.confirm(store, 4, day: 2, first: 200)
        try await Self.confirm(store, 20, day: 3, first: 300)
        let second = try await export.table(Self.slug, by: .day, now: Self.start.addingTimeInterval(4 * Self.day + 60))
        #expect(second.cells.map(\.count) == [15, 12, nil, nil])
    }

    @Test("a one-cell table with noise is suppressed: its exact value is the total")
    func oneCellWithNoise() async throws {
        let store = try await Self.store()
        try await Self.confirm(store, 30, day: 0, first: 0)
        try await store.setState(.closed, of: Self.slug, at: Self.start.addingTimeInterval(7200))
        let table = try await PetitionExport(store: store).table(Self.slug, by: .day, epsilon: Epsilon("1"), now: Self.start.addingTimeInterval(86_400))
        #expect(table.total == 30)
        #expect(table.cells.count == 1 && table.cells[0].suppressed)
    }

    @Test("today's partial count is in the total only, and an exact day release is refused once a withdrawal changed a past day")
    func withdrawalRefusesExactDays() async throws {
        let store = try await Self.store()
        try await Self.confirm(store, 11, day: 0, first: 0)
        try await Self.confirm(store, 3, day: 1, first: 100)
        try await Self.confirm(store, 12, day: 1, first: 200)
        try await Self.confirm(store, 4, day: 2, first: 300)
        let export = PetitionExport(store: store)
        let first = try await export.table(Self.slug, by: .day, now: Self.start.addingTimeInterval(2 * Self.day + 7200))
        #expect(first.total == 30 && first.cells.map(\.key) == [UTCDay.of(Self.start), UTCDay.of(Self.start.addingTimeInterval(Self.day))])
        // One of day 0's signers withdraws: day 0 drops to 10. Released again, the two releases would differ by exactly
        // the withdrawal, which tells on which day a withdrawn signer had signed.
        let pseudonym = try Pseudonym(bytes: (0..<32).map { UInt8(truncatingIfNeeded: 0 >> ($0 % 4 * 8)) ^ UInt8($0) })
        let withdrawal = try TokenID(bytes: Array(repeating: 0xEE, count: 16))
        _ = try await store.requestWithdrawal(PendingRequest(slug: Self.slug, pseudonym: pseudonym, tokenID: withdrawal, expiresAt: .distantFuture))
        #expect(try await store.withdraw(tokenID: withdrawal, at: Self.start.addingTimeInterval(2 * Self.day + 7300)) == .withdrawn)
        await #expect(throws: StoreError(.releaseRefused, "")) {
            try await export.table(Self.slug, by: .day, now: Self.start.addingTimeInterval(2 * Self.day + 7400))
        }
        // Nor with noise: the days were released exactly before (exact and noisy values of one cell never both go out).
        await #expect(throws: StoreError(.releaseRefused, "")) {
            try await export.table(Self.slug, by: .day, epsilon: Epsilon("1"), now: Self.start.addingTimeInterval(2 * Self.day + 7500))
        }
        #expect(try await store.releases(Self.slug).count == 1)
        #expect(try await export.table(Self.slug, by: .total, now: Self.start.addingTimeInterval(2 * Self.day + 7600)).total == 29)
    }
}
