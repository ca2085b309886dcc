import CountersignCore
import CountersignTestSupport
import CountersignCrypto
import CountersignStorage
import Foundation
import PropertyBased
import Testing

/// The one contract every ``SignatureStore`` keeps, run against memory, SQLite and PostgreSQL.
@Suite("SignatureStore contract")
struct SignatureStoreContractTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let slug = try! PetitionSlug("amazon-cut-ties-with-police-and-ice")
    static let regions = ["California", "New York", "Outside the US"]

    static func petition(_ slug: PetitionSlug = slug, regions: [String] = regions) -> PetitionRecord {
        let wrapped = try! WrappedPetitionKey.wrap(
            SecretBytes(copying: Array(repeating: 7, count: 32)), slug: slug, masterKid: 1, master: SecretBytes(copying: Array(repeating: 9, count: 32)))
        return PetitionRecord(
            slug: slug, title: "Tell Amazon to cut all ties with police and ICE", text: "Text.", regions: regions,
            salt: Array(repeating: 3, count: 16), wrappedKey: wrapped, createdAt: now)
    }

    /// One petition value, so that its random wrapping nonce is fixed for equality checks.
    static let seedPetition = petition()

    static func pseudonym(_ n: Int) -> Pseudonym {
        try! Pseudonym(bytes: (0..<32).map { UInt8(truncatingIfNeeded: n &* 31 &+ $0) })
    }

    static func token(_ n: Int) -> TokenID {
        try! TokenID(bytes: (0..<16).map { UInt8(truncatingIfNeeded: n &* 17 &+ $0 &+ 1) })
    }

    static func request(_ signer: Int, token: Int, region: String? = nil, expires: TimeInterval = 3600) -> PendingRequest {
        PendingRequest(slug: slug, pseudonym: pseudonym(signer), region: region, tokenID: self.token(token), expiresAt: now.addingTimeInterval(expires))
    }

    @Test("petitions round-trip, in slug order, and a duplicate slug is refused", arguments: StoreKind.allCases)
    func petitions(kind: StoreKind) async throws {
        try await kind.withStore { store in
            let other = try PetitionSlug("another-petition")
            try await store.createPetition(Self.seedPetition)
            try await store.createPetition(Self.petition(other, regions: []))
            #expect(try await store.petitions().map(\.slug) == [Self.slug, other])
            #expect(try await store.petition(Self.slug) == Self.seedPetition)
            #expect(try await store.petition(PetitionSlug("missing")) == nil)
            await #expect(throws: StoreError(.duplicatePetition, "")) { try await store.createPetition(Self.petition()) }
        }
    }

    @Test("every petition is listed with its confirmed total, in slug order", arguments: StoreKind.allCases)
    func petitionTotals(kind: StoreKind) async throws {
        try await kind.withStore { store in
            let other = try PetitionSlug("another-petition")
            try await store.createPetition(Self.seedPetition)
            try await store.createPetition(Self.petition(other, regions: []))
            _ = try await store.sign(Self.request(1, token: 1))
            _ = try await store.confirm(tokenID: Self.token(1), at: Self.now, commit: anyReceipt)
            _ = try await store.sign(Self.request(2, token: 2))
            let totals = try await store.petitionTotals()
            #expect(totals.map(\.petition.slug) == [Self.slug, other])
            #expect(totals.map(\.total) == [1, 0])
            #expect(totals.first?.petition == Self.seedPetition)
        }
    }

    @Test("a petition without regions takes signs and withdrawal requests that name none", arguments: StoreKind.allCases)
    func petitionWithoutRegions(kind: StoreKind) async throws {
        try await kind.withStore { store in
            let plain = try PetitionSlug("no-regions")
            try await store.createPetition(Self.petition(plain, regions: []))
            let request = PendingRequest(slug: plain, pseudonym: Self.pseudonym(1), tokenID: Self.token(1), expiresAt: Self.now.addingTimeInterval(60))
            #expect(try await store.sign(request) == .pending)
            #expect(try await store.confirm(tokenID: Self.token(1), at: Self.now, commit: anyReceipt).counted)
            var withdrawal = request
            withdrawal.tokenID = Self.token(2)
            #expect(try await store.requestWithdrawal(withdrawal) == .pending)
            var named = request
            named.region = "California"
            await #expect(throws: StoreError(.invalidRegion, "")) { try await store.sign(named) }
        }
    }

    @Test("a paused petition refuses a re-keyed sign as not open: the state is checked before the layers", arguments: StoreKind.allCases)
    func admissionOrder(kind: StoreKind) async throws {
        try await kind.withStore { store in
            try await store.createPetition(Self.petition())
            let layer = try #require(Self.seedPetition.wrappedKey)
            _ = try await store.rekey(Self.slug, after: 0, layer: layer) { $0 }
            try await store.setState(.paused, of: Self.slug, at: Self.now)
            // Stale layers and a region the petition does not list: the state decides.
            await #expect(throws: StoreError(.petitionNotOpen, "")) { try await store.sign(Self.request(1, token: 1, region: "Atlantis")) }
            try await store.setState(.open, of: Self.slug, at: Self.now)
            await #expect(throws: StoreError(.rekeyed, "")) { try await store.sign(Self.request(1, token: 1, region: "Atlantis")) }
        }
    }

    @Test("signing twice refreshes one pending confirmation: the newer link counts, the older is unknown", arguments: StoreKind.allCases)
    func duplicateSign(kind: StoreKind) async throws {
        try await kind.withStore { store in
            try await store.createPetition(Self.petition())
            #expect(try await store.sign(Self.request(1, token: 1)) == .pending)
            #expect(try await store.sign(Self.request(1, token: 2)) == .pending)
            #expect(try await store.confirm(tokenID: Self.token(1), at: Self.now, commit: anyReceipt) == .unknownToken)
            #expect(try await store.confirm(tokenID: Self.token(2), at: Self.now, commit: anyReceipt).counted)
            #expect(try await store.sign(Self.request(1, token: 3)) == .alreadyConfirmed)
            #expect(try await store.confirm(tokenID: Self.token(3), at: Self.now, commit: anyReceipt) == .alreadyConfirmed)
            #expect(try await store.aggregates(Self.slug).total == 1)
        }
    }

    @Test("confirming twice counts once and answers already-confirmed", arguments: StoreKind.allCases)
    func confirmTwice(kind: StoreKind) async throws {
        try await kind.withStore { store in
            try await store.createPetition(Self.petition())
            _ = try await store.sign(Self.request(1, token: 1, region: "New York"))
            #expect(try await store.confirm(tokenID: Self.token(1), at: Self.now, commit: anyReceipt).counted)
            #expect(try await store.confirm(tokenID: Self.token(1), at: Self.now, commit: anyReceipt) == .alreadyConfirmed)
            let day = UTCDay.of(Self.now)
            #expect(try await store.aggregates(Self.slug) == Aggregates(total: 1, byDay: [day: 1], byRegion: ["New York": 1]))
            #expect(try await store.recount(Self.slug).consistent)
        }
    }

    @Test("one token confirmed from 50 concurrent tasks is counted exactly once", arguments: StoreKind.allCases)
    func concurrentConfirm(kind: StoreKind) async throws {
        try await kind.withStore { store in
            try await store.createPetition(Self.petition())
            _ = try await store.sign(Self.request(1, token: 1))
            let outcomes = try await withThrowingTaskGroup(of: ConfirmOutcome.self) { group in
                for _ in 0..<50 {
                    group.addTask { try await store.confirm(tokenID: Self.token(1), at: Self.now, commit: anyReceipt) }
                }
                return try await group.reduce(into: [ConfirmOutcome]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0.counted }.count == 1)
            #expect(outcomes.filter { $0 == .alreadyConfirmed }.count == 49)
            #expect(try await store.aggregates(Self.slug).total == 1)
            #expect(try await store.recount(Self.slug).recounted.total == 1)
        }
    }

    @Test(
        "confirmations and withdrawals racing a close each count or are refused as not open, and the counts equal a recount",
        arguments: StoreKind.allCases)
    func racingClose(kind: StoreKind) async throws {
        try await kind.withStore { store in
            try await store.createPetition(Self.petition())
            let signers = 48
            for signer in 0..<signers {
                _ = try await store.sign(Self.request(signer, token: signer, region: signer % 3 == 0 ? nil : "New York"))
            }
            for signer in 0..<16 {
                #expect(try await store.confirm(tokenID: Self.token(signer), at: Self.now, commit: anyReceipt).counted)
                _ = try await store.requestWithdrawal(Self.request(signer, token: 1000 + signer))
            }
            // Confirmations of signers 16..<48 and withdrawals of signers 0..<16 race one close.
            let (confirmed, withdrawn) = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
                for signer in 16..<signers {
                    group.addTask {
                        do {
                            return try await store.confirm(tokenID: Self.token(signer), at: Self.now, commit: anyReceipt).counted ? (1, 0) : (0, 0)
                        } catch let error as StoreError where error.code == .petitionNotOpen {
                            return (0, 0)
                        }
                    }
                }
                for signer in 0..<16 {
                    group.addTask {
                        do {
                            return try await store.withdraw(tokenID: Self.token(1000 + signer), at: Self.now) == .withdrawn ? (0, 1) : (0, 0)
                        } catch let error as StoreError where error.code == .petitionNotOpen {
                            return (0, 0)
                        }
                    }
                }
                group.addTask {
                    try await store.setState(.closed, of: Self.slug, at: Self.now)
                    return (0, 0)
                }
                return try await group.reduce(into: (0, 0)) { $0 = ($0.0 + $1.0, $0.1 + $1.1) }
            }
            #expect(try await store.aggregates(Self.slug).total == 16 + confirmed - withdrawn)
            let recount = try await store.recount(Self.slug)
            #expect(recount.consistent)
            #expect(recount.recounted.total == 16 + confirmed - withdrawn)
            // After the close nothing more is counted: every confirmation is refused, used or not.
            var refused = 0
            for signer in 16..<signers {
                do {
                    _ = try await store.confirm(tokenID: Self.token(signer), at: Self.now, commit: anyReceipt)
                } catch let error as StoreError where error.code == .petitionNotOpen {
                    refused += 1
                }
            }
            #expect(refused == signers - 16)
            #expect(try await store.aggregates(Self.slug).total == 16 + confirmed - withdrawn)
        }
    }

    @Test(
        "the count log: a confirmation logs its commitment in the open epoch, a withdrawal names it, a shred closes the log; closing appends sorted entries",
        arguments: StoreKind.allCases)
    func countLog(kind: StoreKind) async throws {
        try await kind.withStore { store in
            try await store.createPetition(Self.petition())
            let secrets = (0..<3).map { [UInt8](repeating: UInt8($0 + 1), count: 32) }
            let commitments = try secrets.map { try ReceiptCommitment(slug: Self.slug.value, secret: $0) }
            for signer in 0..<3 {
                _ = try await store.sign(Self.request(signer, token: signer))
                let secret = secrets[signer]
                let outcome = try await store.confirm(tokenID: Self.token(signer), at: Self.now) { slug in
                    try ReceiptCommitment(slug: slug.value, secret: secret)
                }
                #expect(outcome == .confirmed(slug: Self.slug, epoch: 0))
            }
            // An epoch too young to close changes nothing.
            let young = CountEpochPolicy(minimumAge: .seconds(3_600), minimumEvents: 1)
            #expect(try await store.closeCountEpoch(Self.slug, at: Self.now, policy: young) == nil)
            // Nor does one with fewer events than the policy's minimum.
            let large = CountEpochPolicy(minimumAge: .zero, minimumEvents: 4)
            #expect(try await store.closeCountEpoch(Self.slug, at: Self.now, policy: large) == nil)
            #expect(try await store.countEntryCount(Self.slug) == 0)
            let quick = CountEpochPolicy(minimumAge: .zero, minimumEvents: 1)
            let first = try #require(try await store.closeCountEpoch(Self.slug, at: Self.now, policy: quick))
            #expect(first.number == 0)
            let firstEvents = try await Self.events(of: first, in: store)
            #expect(Set(firstEvents.map(\.kind)) == Set(commitments.map { .confirm($0) }))
            #expect(firstEvents.allSatisfy { $0.epoch == 0 })
            #expect(try await store.countEntries(Self.slug, 0..<10) == firstEvents.map(\.entry))
            // The next confirmation waits in epoch 1; a withdrawal names the commitment it cancels.
            _ = try await store.sign(Self.request(3, token: 3))
            #expect(try await store.confirm(tokenID: Self.token(3), at: Self.now, commit: anyReceipt) == .confirmed(slug: Self.slug, epoch: 1))
            _ = try await store.requestWithdrawal(Self.request(1, token: 11))
            #expect(try await store.withdraw(tokenID: Self.token(11), at: Self.now) == .withdrawn)
            // While the petition takes confirmations, two events are short of a minimum of 100; once it is closed, its
            // last events close on age alone.
            let few = CountEpochPolicy(minimumAge: .zero, minimumEvents: 100)
            #expect(try await store.closeCountEpoch(Self.slug, at: Self.now, policy: few) == nil)
            try await store.setState(.closed, of: Self.slug, at: Self.now)
            let second = try #require(try await store.closeCountEpoch(Self.slug, at: Self.now, policy: few))
            #expect(second.number == 1)
            let secondEvents = try await Self.events(of: second, in: store)
            #expect(secondEvents.filter { $0.kind == .withdraw(commitments[1]) }.count == 1)
            #expect(secondEvents.count == 2)
            try await store.shredPetitionKey(Self.slug, at: Self.now.addingTimeInterval(400 * 86_400))
            // A second shred finds the key gone and logs nothing: the log ends once.
            try await store.shredPetitionKey(Self.slug, at: Self.now.addingTimeInterval(401 * 86_400))
            // The shred closes its epoch at once, young as it is, and whatever the policy's minimum of events.
            let distant = CountEpochPolicy(minimumAge: .seconds(86_400 * 1_000), minimumEvents: 100)
            let last = try #require(try await store.closeCountEpoch(Self.slug, at: Self.now, policy: distant))
            #expect(last.number == 2)
            #expect(try await Self.events(of: last, in: store).map(\.kind) == [.shred])
            let entries = try await store.countEntries(Self.slug, 0..<100)
            #expect(entries == (firstEvents + secondEvents + [CountEvent(.shred, epoch: 2)]).map(\.entry))
            #expect([first.entries, second.entries, last.entries] == [0..<3, 3..<5, 5..<6])
            #expect(try await store.countEntries(Self.slug, 3..<4) == [secondEvents[0].entry])
            #expect(try await store.countEntryCount(Self.slug) == 6)
            #expect(try CountCheckpoint.count(of: entries) == 3)
            await #expect(throws: StoreError(.unknownPetition, "")) { try await store.countEntryCount(try PetitionSlug("no-such-petition")) }
        }
    }

    /// The leaves of a closed epoch, read back from the log.
    static func events(of epoch: ClosedCountEpoch, in store: any SignatureStore) async throws -> [CountEvent] {
        try await store.countEntries(slug, epoch.entries).map { try CountEvent(entry: $0) }
    }

    @Test("a close in slices appends the epoch in the order of a close in one piece, and publishes it whole", arguments: StoreKind.allCases)
    func countLogSlices(kind: StoreKind) async throws {
        try await kind.withStore { store in
            try await store.createPetition(Self.petition())
            var events: [PendingCountEvent] = []
            for signer in 0..<9 {
                _ = try await store.sign(Self.request(signer, token: signer))
                let secret = [UInt8](repeating: UInt8(signer * 7 % 9 + 1), count: 32)
                let c = try ReceiptCommitment(slug: Self.slug.value, secret: secret)
                _ = try await store.confirm(tokenID: Self.token(signer), at: Self.now) { _ in c }
                events.append(PendingCountEvent(.confirm(c), hour: Self.now))
                if signer % 3 == 0 {
                    _ = try await store.requestWithdrawal(Self.request(signer, token: 100 + signer))
                    #expect(try await store.withdraw(tokenID: Self.token(100 + signer), at: Self.now) == .withdrawn)
                    events.append(PendingCountEvent(.withdraw(c), hour: Self.now))
                }
            }
            // 12 events in slices of 5: three slices to append, then three to delete.
            let sliced = CountEpochPolicy(minimumAge: .zero, minimumEvents: 1, slice: 5)
            let closed = try #require(try await store.closeCountEpoch(Self.slug, at: Self.now, policy: sliced))
            #expect(closed == ClosedCountEpoch(number: 0, entries: 0..<12))
            #expect(try await store.countEntries(Self.slug, 0..<100) == CountEpoch(number: 0, pending: events).entries)
            #expect(try await store.countEntryCount(Self.slug) == 12)
            // Nothing is left half-closed: the next call finds an empty open epoch.
            #expect(try await store.closeCountEpoch(Self.slug, at: Self.now, policy: sliced) == nil)
            _ = try await store.sign(Self.request(50, token: 50))
            #expect(try await store.confirm(tokenID: Self.token(50), at: Self.now, commit: anyReceipt) == .confirmed(slug: Self.slug, epoch: 1))
        }
    }

    @Test("withdrawal after confirmation removes the signature and its counts, once", arguments: StoreKind.allCases)
    func withdrawal(kind: StoreKind) async throws {
        try await kind.withStore { store in
            try await store.createPetition(Self.petition())
            #expect(try await store.requestWithdrawal(Self.request(1, token: 9)) == .noSignature)
            // The request of a pseudonym without a signature writes its row all the same, and the row withdraws nothing.
            #expect(try await store.withdraw(tokenID: Self.token(9), at: Self.now) == .alreadyWithdrawn)
            _ = try await store.sign(Self.request(1, token: 1, region: "California"))
            _ = try await store.sign(Self.request(2, token: 2, region: "California"))
            _ = try await store.confirm(tokenID: Self.token(1), at: Self.now, commit: anyReceipt)
            _ = try await store.confirm(tokenID: Self.token(2), at: Self.now, commit: anyReceipt)
            #expect(try await store.requestWithdrawal(Self.request(1, token: 3)) == .pending)
            #expect(try await store.withdraw(tokenID: Self.token(1), at: Self.now) == .unknownToken)
            #expect(try await store.withdraw(tokenID: Self.token(3), at: Self.now) == .withdrawn)
            #expect(try await store.withdraw(tokenID: Self.token(3), at: Self.now) == .alreadyWithdrawn)
            let day = UTCDay.of(Self.now)
            #expect(try await store.aggregates(Self.slug) == Aggregates(total: 1, byDay: [day: 1], byRegion: ["California": 1]))
            #expect(try await store.recount(Self.slug).consistent)
            // The signer may sign again after withdrawing.
            #expect(try await store.sign(Self.request(1, token: 4)) == .pending)
            #expect(try await store.confirm(tokenID: Self.token(4), at: Self.now, commit: anyReceipt).counted)
            #expect(try await store.aggregates(Self.slug).total == 2)
        }
    }

    @Test("a pending row expires at its expiry rounded up to the hour; then it does not count, and purging removes it", arguments: StoreKind.allCases)
    func expiry(kind: StoreKind) async throws {
        try await kind.withStore { store in
            try await store.createPetition(Self.petition())
            _ = try await store.sign(Self.request(1, token: 1, expires: 60))
            _ = try await store.sign(Self.request(2, token: 2, expires: 7200))
            // The row keeps the hour only: a minute's expiry lasts to the end of the hour (the token's own exact expiry
            // is checked before the store is asked).
            #expect(Self.request(1, token: 1, expires: 60).expiresAt == Self.now.addingTimeInterval(3600))
            let later = Self.now.addingTimeInterval(3600)
            #expect(try await store.confirm(tokenID: Self.token(1), at: later, commit: anyReceipt) == .expired)
            #expect(try await store.purgeExpired(at: later) == 1)
            #expect(try await store.confirm(tokenID: Self.token(1), at: later, commit: anyReceipt) == .unknownToken)
            #expect(try await store.confirm(tokenID: Self.token(2), at: later, commit: anyReceipt).counted)
            #expect(try await store.aggregates(Self.slug).total == 1)
        }
    }

    @Test("a proof-of-work challenge is spent once: a second spend, also from 20 concurrent tasks, is refused", arguments: StoreKind.allCases)
    func spentChallenges(kind: StoreKind) async throws {
        try await kind.withStore { store in
            let spent = SpentChallenge(digest: Array(repeating: 7, count: 32), expires: Self.now.addingTimeInterval(600))
            #expect(try await store.spend(spent, at: Self.now))
            #expect(try await !store.spend(spent, at: Self.now.addingTimeInterval(1)))
            let racing = SpentChallenge(digest: Array(repeating: 8, count: 32), expires: Self.now.addingTimeInterval(600))
            let firsts = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<20 { group.addTask { try await store.spend(racing, at: Self.now) } }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(firsts == 1)
        }
    }

    @Test("a paused petition takes no signs or confirmations; a closed one cannot reopen", arguments: StoreKind.allCases)
    func pausedAndClosed(kind: StoreKind) async throws {
        try await kind.withStore { store in
            try await store.createPetition(Self.petition())
            _ = try await store.sign(Self.request(1, token: 1))
            try await store.setState(.paused, of: Self.slug, at: Self.now)
            let notOpen = StoreError(.petitionNotOpen, "")
            await #expect(throws: notOpen) { try await store.sign(Self.request(2, token: 2)) }
            await #expect(throws: notOpen) { try await store.confirm(tokenID: Self.token(1), at: Self.now, commit: anyReceipt) }
            try await store.setState(.open, of: Self.slug, at: Self.now)
            #expect(try await store.confirm(tokenID: Self.token(1), at: Self.now, commit: anyReceipt).counted)
            try await store.setState(.closed, of: Self.slug, at: Self.now)
            #expect(try await store.petition(Self.slug)?.closedAt == Self.now)
            await #expect(throws: notOpen) { try await store.sign(Self.request(2, token: 2)) }
            await #expect(throws: notOpen) { try await store.requestWithdrawal(Self.request(1, token: 3)) }
            await #expect(throws: StoreError(.invalidTransition, "")) { try await store.setState(.open, of: Self.slug, at: Self.now) }
            #expect(try await store.aggregates(Self.slug).total == 1)
        }
    }

    @Test("crypto-shredding needs a closed petition, then drops the key and pseudonyms and keeps the aggregates", arguments: StoreKind.allCases)
    func shredding(kind: StoreKind) async throws {
        try await kind.withStore { store in
            try await store.createPetition(Self.petition())
            for signer in 1...3 {
                _ = try await store.sign(Self.request(signer, token: signer, region: "Outside the US"))
                _ = try await store.confirm(tokenID: Self.token(signer), at: Self.now, commit: anyReceipt)
            }
            _ = try await store.sign(Self.request(4, token: 4))
            await #expect(throws: StoreError(.invalidTransition, "")) { try await store.shredPetitionKey(Self.slug, at: Self.now) }
            try await store.setState(.closed, of: Self.slug, at: Self.now)
            let before = try await store.aggregates(Self.slug)
            try await store.shredPetitionKey(Self.slug, at: Self.now)
            let petition = try #require(try await store.petition(Self.slug))
            #expect(petition.wrappedKey == nil)
            #expect(petition.keyShreddedAt == Self.now)
            #expect(try await store.aggregates(Self.slug) == before)
            #expect(before.total == 3)
            #expect(try await store.recount(Self.slug) == Recount(maintained: before, recounted: Aggregates()))
            #expect(try await StoreCheck.run(store).passed)
        }
    }

    @Test("a shredded petition loses its key layers too, and cannot be re-keyed", arguments: StoreKind.allCases)
    func shredAfterRekey(kind: StoreKind) async throws {
        try await kind.withStore { store in
            try await store.createPetition(Self.petition())
            let layer = try #require(Self.seedPetition.wrappedKey)
            _ = try await store.rekey(Self.slug, after: 0, layer: layer) { $0 }
            try await store.setState(.closed, of: Self.slug, at: Self.now)
            try await store.shredPetitionKey(Self.slug, at: Self.now)
            #expect(try await store.petition(Self.slug)?.keyLayers == [])
            await #expect(throws: StoreError(.invalidTransition, "")) { try await store.rekey(Self.slug, after: 0, layer: layer) { $0 } }
        }
    }

    @Test("re-keying maps every signature and pending pseudonym through the transform, adds the layer, keeps the counts", arguments: StoreKind.allCases)
    func rekey(kind: StoreKind) async throws {
        try await kind.withStore { store in
            try await store.createPetition(Self.petition())
            for signer in 1...3 {
                _ = try await store.sign(Self.request(signer, token: signer, region: "California"))
                _ = try await store.confirm(tokenID: Self.token(signer), at: Self.now, commit: anyReceipt)
            }
            _ = try await store.sign(Self.request(4, token: 4))
            let before = try await store.aggregates(Self.slug)
            // A reversible stand-in for HMAC(K', P): flip every bit.
            let flip: @Sendable (Pseudonym) throws -> Pseudonym = { try Pseudonym(bytes: $0.bytes.map { ~$0 }) }
            let layer = try WrappedPetitionKey.wrap(SecretBytes(copying: Array(repeating: 5, count: 32)), slug: Self.slug, masterKid: 1, master: SecretBytes(copying: Array(repeating: 9, count: 32)))
            // 3 signatures and 1 open confirmation; the 3 used confirmations kept no pseudonym to re-key.
            #expect(try await store.rekey(Self.slug, after: 0, layer: layer, transform: flip) == 4)
            #expect(try await store.petition(Self.slug)?.keyLayers == [layer])
            #expect(try await store.aggregates(Self.slug) == before)
            #expect(try await store.recount(Self.slug).consistent)
            // Old pseudonyms are gone; the re-keyed ones are the signers now.
            let old = PendingRequest(
                slug: Self.slug, pseudonym: Self.pseudonym(1), tokenID: Self.token(10), expiresAt: Self.now.addingTimeInterval(60), keyLayers: 1)
            #expect(try await store.sign(old) == .pending)
            let new = PendingRequest(
                slug: Self.slug, pseudonym: try flip(Self.pseudonym(2)), tokenID: Self.token(11), expiresAt: Self.now.addingTimeInterval(60),
                keyLayers: 1)
            #expect(try await store.sign(new) == .alreadyConfirmed)
            // The pending confirmation made before the re-key still confirms, under its re-keyed pseudonym.
            #expect(try await store.confirm(tokenID: Self.token(4), at: Self.now, commit: anyReceipt).counted)
            #expect(try await store.aggregates(Self.slug).total == 4)
            // The commitments moved with their signatures: a withdrawal after the re-key still logs `withdraw c`.
            let quick = CountEpochPolicy(minimumAge: .zero, minimumEvents: 1)
            let logged = try #require(try await store.closeCountEpoch(Self.slug, at: Self.now, policy: quick))
            let confirmed = try await Self.events(of: logged, in: store).compactMap { event -> ReceiptCommitment? in
                if case .confirm(let c) = event.kind { c } else { nil }
            }
            _ = try await store.requestWithdrawal(PendingRequest(
                slug: Self.slug, pseudonym: try flip(Self.pseudonym(2)), tokenID: Self.token(12), expiresAt: Self.now.addingTimeInterval(60),
                keyLayers: 1))
            #expect(try await store.withdraw(tokenID: Self.token(12), at: Self.now) == .withdrawn)
            let withdrawal = try #require(try await store.closeCountEpoch(Self.slug, at: Self.now, policy: quick))
            let withdrawn = try await Self.events(of: withdrawal, in: store)
            #expect(withdrawn.count == 1)
            if case .withdraw(let c) = withdrawn.first?.kind { #expect(confirmed.contains(c)) } else { Issue.record("no withdraw c logged") }
        }
    }

    @Test("a sign or withdrawal whose pseudonym predates the latest re-key is refused as rekeyed and writes nothing", arguments: StoreKind.allCases)
    func staleLayering(kind: StoreKind) async throws {
        try await kind.withStore { store in
            try await store.createPetition(Self.petition())
            _ = try await store.sign(Self.request(1, token: 1))
            _ = try await store.confirm(tokenID: Self.token(1), at: Self.now, commit: anyReceipt)
            let layer = try #require(Self.seedPetition.wrappedKey)
            _ = try await store.rekey(Self.slug, after: 0, layer: layer) { $0 }
            await #expect(throws: StoreError(.rekeyed, "")) { try await store.rekey(Self.slug, after: 0, layer: layer) { $0 } }
            await #expect(throws: StoreError(.rekeyed, "")) { try await store.sign(Self.request(2, token: 2)) }
            await #expect(throws: StoreError(.rekeyed, "")) { try await store.requestWithdrawal(Self.request(1, token: 3)) }
            #expect(try await store.withdraw(tokenID: Self.token(3), at: Self.now) == .unknownToken)
            #expect(try await store.confirm(tokenID: Self.token(2), at: Self.now, commit: anyReceipt) == .unknownToken)
            var fresh = Self.request(2, token: 4)
            fresh.keyLayers = 1
            #expect(try await store.sign(fresh) == .pending)
        }
    }

    @Test("signs racing a re-key either land before it and are re-keyed, or are refused: no stale pseudonym is stored", arguments: StoreKind.allCases)
    func signsRacingRekey(kind: StoreKind) async throws {
        try await kind.withStore { store in
            try await store.createPetition(Self.petition())
            let flip: @Sendable (Pseudonym) throws -> Pseudonym = { try Pseudonym(bytes: $0.bytes.map { ~$0 }) }
            let layer = try #require(Self.seedPetition.wrappedKey)
            let landed = try await withThrowingTaskGroup(of: Int?.self) { group in
                for signer in 1...30 {
                    group.addTask {
                        do {
                            _ = try await store.sign(Self.request(signer, token: signer))
                            return signer
                        } catch let error as StoreError where error.code == .rekeyed {
                            return nil
                        }
                    }
                }
                group.addTask {
                    _ = try await store.rekey(Self.slug, after: 0, layer: layer, transform: flip)
                    return nil
                }
                var landed: [Int] = []
                for try await signer in group { if let signer { landed.append(signer) } }
                return landed
            }
            // Every sign that landed was re-keyed with the rest: its confirmation counts once, and the signer's
            // re-keyed pseudonym is the one on record.
            for signer in landed {
                #expect(try await store.confirm(tokenID: Self.token(signer), at: Self.now, commit: anyReceipt).counted)
                var again = Self.request(signer, token: 100 + signer)
                again.pseudonym = try flip(Self.pseudonym(signer))
                again.keyLayers = 1
                #expect(try await store.sign(again) == .alreadyConfirmed)
            }
            #expect(try await store.aggregates(Self.slug).total == landed.count)
            #expect(try await store.recount(Self.slug).consistent)
        }
    }

    @Test("re-wrapping replaces keys still as read and leaves a petition changed meanwhile alone", arguments: StoreKind.allCases)
    func rewrap(kind: StoreKind) async throws {
        try await kind.withStore { store in
            let petition = Self.petition()
            try await store.createPetition(petition)
            let old = try #require(petition.wrappedKey)
            let new = try WrappedPetitionKey.wrap(SecretBytes(copying: Array(repeating: 7, count: 32)), slug: Self.slug, masterKid: 2, master: SecretBytes(copying: Array(repeating: 8, count: 32)))
            let stale = try WrappedPetitionKey.wrap(SecretBytes(copying: Array(repeating: 7, count: 32)), slug: Self.slug, masterKid: 3, master: SecretBytes(copying: Array(repeating: 6, count: 32)))
            #expect(try await store.rewrapPetitionKeys([WrappedKeyChange(slug: Self.slug, from: [stale], to: [new])]) == [])
            #expect(try await store.petition(Self.slug)?.wrappedKey == old)
            #expect(try await store.rewrapPetitionKeys([WrappedKeyChange(slug: Self.slug, from: [old], to: [new])]) == [Self.slug])
            #expect(try await store.petition(Self.slug)?.wrappedKey == new)
            #expect(try await store.petition(Self.slug)?.wrappedKey?.kid == 2)
        }
    }

    @Test("access tokens are found by hash only, listed, and revoked by id", arguments: StoreKind.allCases)
    func accessTokens(kind: StoreKind) async throws {
        try await kind.withStore { store in
            let (text, token) = try AccessToken.generate(role: .organizer, petition: Self.slug, now: Self.now)
            let (_, auditor) = try AccessToken.generate(role: .auditor, petition: nil, now: Self.now.addingTimeInterval(1))
            try await store.createAccessToken(token)
            try await store.createAccessToken(auditor)
            let found = try #require(try await store.accessToken(hash: AccessToken.hash(of: text)))
            #expect(found == token)
            #expect(found.grants(.organizer, petition: Self.slug))
            #expect(!found.grants(.organizer, petition: try PetitionSlug("another")))
            #expect(!found.grants(.auditor, petition: nil))
            #expect(try await store.accessToken(hash: AccessToken.hash(of: text + "x")) == nil)
            #expect(try await store.accessTokens().map(\.id) == [token.id, auditor.id])
            #expect(try await store.revokeAccessToken(id: token.id, at: Self.now))
            #expect(try await !store.revokeAccessToken(id: "not-an-id", at: Self.now))
            let revoked = try #require(try await store.accessToken(hash: token.hash))
            #expect(revoked.revokedAt == Self.now)
            #expect(!revoked.grants(.organizer, petition: Self.slug))
        }
    }

    @Test("the privacy ledger spends the budget, refuses past it, and never mixes exact and noisy releases of a breakdown", arguments: StoreKind.allCases)
    func privacyLedger(kind: StoreKind) async throws {
        try await kind.withStore { store in
            try await store.createPetition(Self.petition())
            func release(_ breakdown: String, _ micros: Int64?) -> Release {
                Release(slug: Self.slug, breakdown: breakdown, epsilonMicros: micros, date: Self.now)
            }
            try await store.recordRelease(release("day", 2_000_000), budgetMicros: 5_000_000)
            try await store.recordRelease(release("day", 2_500_000), budgetMicros: 5_000_000)
            await #expect(throws: StoreError(.releaseRefused, "")) { try await store.recordRelease(release("day", 600_000), budgetMicros: 5_000_000) }
            await #expect(throws: StoreError(.releaseRefused, "")) { try await store.recordRelease(release("day", nil), budgetMicros: 5_000_000) }
            try await store.recordRelease(release("region", nil), budgetMicros: 5_000_000)
            try await store.recordRelease(release("region", nil), budgetMicros: 5_000_000)
            await #expect(throws: StoreError(.releaseRefused, "")) { try await store.recordRelease(release("region", 100_000), budgetMicros: 5_000_000) }
            // Exact releases of one breakdown on one UTC day are one row, their hidden keys merged.
            var hiding = release("region", nil)
            hiding.hidden = ["Iowa"]
            try await store.recordRelease(hiding, budgetMicros: 5_000_000)
            let releases = try await store.releases(Self.slug)
            #expect(releases.map(\.epsilonMicros) == [2_000_000, 2_500_000, nil])
            #expect(releases.last?.hidden == ["Iowa"])
        }
    }

    @Test("entries derived from the log under its lock are appended once, however many tasks derive them at the same time", arguments: StoreKind.allCases)
    func derivedAuditEntries(kind: StoreKind) async throws {
        try await kind.withStore { store in
            _ = try await store.appendAuditEntries { _, _ in ["type=first date=2026-11-27"] }
            try await withThrowingTaskGroup(of: [String].self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        try await store.appendAuditEntries { existing, _ in existing.contains("type=derived date=2026-11-27") ? [] : ["type=derived date=2026-11-27"] }
                    }
                }
                var appended = 0
                for try await entries in group { appended += entries.count }
                #expect(appended == 1)
            }
            #expect(try await store.auditEntries(0..<10) == ["type=first date=2026-11-27", "type=derived date=2026-11-27"])
        }
    }

    @Test("bad input is a typed error and writes nothing", arguments: StoreKind.allCases)
    func badInput(kind: StoreKind) async throws {
        try await kind.withStore { store in
            try await store.createPetition(Self.petition())
            await #expect(throws: StoreError(.invalidRegion, "")) { try await store.sign(Self.request(1, token: 1, region: "Atlantis")) }
            // A NUL byte must not cut a region short: SQLite reads a bound string only up to it.
            let cut = "New York\u{0}hostile"
            #expect(try await store.admission(Self.slug, region: cut)?.regionListed == false)
            await #expect(throws: StoreError(.invalidRegion, "")) { try await store.sign(Self.request(1, token: 1, region: cut)) }
            #expect(try await store.admission(Self.slug, region: "New York")?.regionListed == true)
            #expect(try await store.confirm(tokenID: Self.token(1), at: Self.now, commit: anyReceipt) == .unknownToken)
            let missing = try PetitionSlug("no-such-petition")
            await #expect(throws: StoreError(.unknownPetition, "")) {
                try await store.sign(PendingRequest(slug: missing, pseudonym: Self.pseudonym(1), tokenID: Self.token(2), expiresAt: Self.now))
            }
            #expect(throws: PseudonymError.self) { try Pseudonym(bytes: Array(repeating: 0, count: 31)) }
            #expect(throws: PetitionError.invalidSlug()) { try PetitionSlug("Not A Slug") }
            #expect(throws: TokenError.malformed()) { try TokenID(bytes: [1, 2, 3]) }
            #expect(try await store.aggregates(Self.slug) == Aggregates())
            #expect(try await store.purgeExpired(at: Self.now.addingTimeInterval(1e6)) == 0)
        }
    }

    @Test("the audit log appends in order and reads back by index", arguments: StoreKind.allCases)
    func auditLog(kind: StoreKind) async throws {
        try await kind.withStore { store throws in
            #expect(try await store.auditEntryCount() == 0)
            for n in 0..<5 {
                #expect(try await store.appendAuditEntries { existing, _ in ["entry \(existing.count)"] } == ["entry \(n)"])
            }
            #expect(try await store.auditEntryCount() == 5)
            #expect(try await store.auditEntries(1..<3) == ["entry 1", "entry 2"])
            #expect(try await store.auditEntries(3..<99) == ["entry 3", "entry 4"])
        }
    }

    /// An operation of the random sequences below. Signs and withdrawal requests get fresh token ids (as
    /// random 128-bit ids are in practice); confirms and withdrawals pick one of the ids issued so far.
    enum Operation: Sendable, CustomStringConvertible {
        case sign(signer: Int, region: String?)
        case confirm(pick: Int)
        case requestWithdrawal(signer: Int)
        case withdraw(pick: Int)
        case purge

        var description: String {
            switch self {
            case .sign(let signer, let region): "sign(\(signer), \(region ?? "-"))"
            case .confirm(let pick): "confirm(#\(pick))"
            case .requestWithdrawal(let signer): "requestWithdrawal(\(signer))"
            case .withdraw(let pick): "withdraw(#\(pick))"
            case .purge: "purge"
            }
        }
    }

    /// One number decides the kind of operation (0–99), the signer (0–7) and the pick (0–15).
    static let operation = Gen<Int>.int(in: 0...12_799).map { n -> Operation in
        let (choice, signer, pick) = (n % 100, n / 100 % 8, n / 800)
        return switch choice {
        case 0..<35: .sign(signer: signer, region: [nil, "California", "New York"][pick % 3])
        case 35..<70: .confirm(pick: pick)
        case 70..<85: .requestWithdrawal(signer: signer)
        case 85..<97: .withdraw(pick: pick)
        default: .purge
        }
    }

    @Test("property: after any sequence of operations the aggregates equal a recount", arguments: StoreKind.allCases)
    func aggregatesEqualRecount(kind: StoreKind) async throws {
        let count = kind == .postgres ? 15 : 40
        await propertyCheck(count: count, input: Self.operation.array(of: 1...40)) { operations in
            do {
                try await kind.withStore { store in
                    try await store.createPetition(Self.petition())
                    var clock = Self.now
                    var issued: [Int] = []
                    func picked(_ pick: Int) -> TokenID { Self.token(issued.isEmpty ? 0 : issued[pick % issued.count]) }
                    for operation in operations {
                        clock = clock.addingTimeInterval(600)
                        switch operation {
                        case .sign(let signer, let region):
                            issued.append(issued.count + 1)
                            _ = try await store.sign(PendingRequest(
                                slug: Self.slug, pseudonym: Self.pseudonym(signer), region: region, tokenID: Self.token(issued.count),
                                expiresAt: clock.addingTimeInterval(3000)))
                        case .confirm(let pick): _ = try await store.confirm(tokenID: picked(pick), at: clock, commit: anyReceipt)
                        case .requestWithdrawal(let signer):
                            issued.append(issued.count + 1)
                            _ = try await store.requestWithdrawal(PendingRequest(
                                slug: Self.slug, pseudonym: Self.pseudonym(signer), tokenID: Self.token(issued.count),
                                expiresAt: clock.addingTimeInterval(3000)))
                        case .withdraw(let pick): _ = try await store.withdraw(tokenID: picked(pick), at: clock)
                        case .purge: _ = try await store.purgeExpired(at: clock)
                        }
                    }
                    let maintained = try await store.aggregates(Self.slug)
                    #expect(try await store.recount(Self.slug) == Recount(maintained: maintained, recounted: maintained), "after \(operations)")
                    #expect(maintained.total >= 0 && maintained.total <= 8)
                    #expect(try await StoreCheck.run(store).passed)
                }
            } catch {
                Issue.record("operations \(operations) threw \(error)")
            }
        }
    }
}
