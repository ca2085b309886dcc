import CountersignCore
import CountersignCrypto
import Foundation
import Testing

@Suite("CountLog: receipt commitments, receipts and their codes")
struct CountLogReceiptTests {
    static let slug = "amazon-cut-ties-with-police-and-ice"
    static let auditOrigin = "petitions.example.org/audit"
    static let secret: [UInt8] = Array(1...32)

    @Test("a receipt's and a confirmation's descriptions, debug descriptions and dumps never show r")
    func redacted() throws {
        let secret = Array(repeating: UInt8(0xAB), count: 32)
        let receipt = try Receipt(slug: "some-petition", origin: "example.org/audit/count/some-petition", secret: secret, epoch: 3)
        let confirmation = Confirmation(outcome: .confirmed(slug: try PetitionSlug("some-petition"), epoch: 3), receiptSecret: secret)
        for value in [receipt as Any, confirmation as Any] {
            var dumped = ""
            dump(value, to: &dumped)
            for text in [String(describing: value), String(reflecting: value), dumped] {
                #expect(!text.contains("171") && !text.contains(Base64URL.encode(secret)), "\(text)")
            }
        }
    }

    @Test("c = SHA-256(\"countersign/receipt/v1\" ‖ 0x00 ‖ slug ‖ r), and it depends on the slug and on r")
    func commitment() throws {
        let c = try ReceiptCommitment(slug: Self.slug, secret: Self.secret)
        #expect(c.bytes == (try SHA256.hash(Array("countersign/receipt/v1".utf8), [0], Array(Self.slug.utf8), Self.secret)))
        #expect(c != (try ReceiptCommitment(slug: "another", secret: Self.secret)))
        #expect(c != (try ReceiptCommitment(slug: Self.slug, secret: Array(2...33))))
        #expect(c.matches(slug: Self.slug, secret: Self.secret))
        #expect(!c.matches(slug: Self.slug, secret: Array(repeating: 0, count: 32)))
        #expect(throws: CountLogError.malformedReceipt) { try ReceiptCommitment(slug: Self.slug, secret: [1, 2, 3]) }
        let fresh = try ReceiptCommitment.randomSecret()
        let another = try ReceiptCommitment.randomSecret()
        #expect(fresh.count == 32 && fresh != another)
    }

    @Test("receipt.json and the code round-trip, and the code derives the count log's origin")
    func roundTrip() throws {
        let origin = CountCheckpoint.origin(auditOrigin: Self.auditOrigin, slug: Self.slug)
        let receipt = try Receipt(slug: Self.slug, origin: origin, secret: Self.secret, epoch: 42)
        #expect(receipt.json.hasSuffix("}\n") && receipt.json.contains("\"origin\":\"petitions.example.org/audit/count/\(Self.slug)\""))
        #expect(try Receipt(json: receipt.json) == receipt)
        let code = try receipt.code
        #expect(code.hasPrefix("cs1:\(Self.slug):42:"))
        #expect(try Receipt(code: code, auditOrigin: Self.auditOrigin) == receipt)
        #expect(try Receipt(code: "  \(code)\n", auditOrigin: Self.auditOrigin) == receipt)
    }

    @Test("a mistyped, truncated or foreign code is refused with a reason that says what to do")
    func badCodes() throws {
        let code = try Receipt(slug: Self.slug, origin: "o", secret: Self.secret, epoch: 3).code
        var typo = Array(code)
        let last = typo.count - 5
        typo[last] = typo[last] == "A" ? "B" : "A"
        for bad in [
            String(typo), String(code.dropLast(2)), code.replacingOccurrences(of: ":3:", with: ":4:"), "cs2:a:1:AAAA", "hello", "cs1:a:01:AAAA",
        ] {
            do {
                _ = try Receipt(code: bad, auditOrigin: Self.auditOrigin)
                Issue.record("accepted \(bad)")
            } catch {
                #expect(error.code == .malformedReceiptCode)
                #expect(!error.reason.isEmpty)
            }
        }
        do {
            _ = try Receipt(code: String(typo), auditOrigin: Self.auditOrigin)
        } catch {
            #expect(error.reason.contains("mistyped"))
        }
    }

    @Test("a damaged receipt.json is refused")
    func badJSON() throws {
        let good = try Receipt(slug: Self.slug, origin: "o/count/x", secret: Self.secret, epoch: 1).json
        for bad in [
            "{}", "not json", good.replacingOccurrences(of: "countersign/receipt/v1", with: "countersign/receipt/v9"),
            good.replacingOccurrences(of: "\"epoch\":1", with: "\"epoch\":-1"), good.replacingOccurrences(of: Self.slug, with: "Not A Slug"),
        ] {
            #expect(throws: CountLogError.malformedReceipt) { try Receipt(json: bad) }
        }
    }
}

@Suite("CountLog: leaves and epochs")
struct CountLogEpochTests {
    static func c(_ byte: UInt8) throws -> ReceiptCommitment { try ReceiptCommitment(bytes: Array(repeating: byte, count: 32)) }
    /// A whole UTC hour (1.8e9 is a multiple of 3,600).
    static let hour = Date(timeIntervalSince1970: 1_800_000_000)

    @Test("a leaf's bytes are one canonical line, and nothing else parses")
    func leafEncoding() throws {
        let c = try Self.c(0xAB)
        let confirm = CountEvent(.confirm(c), epoch: 7)
        #expect(confirm.text == "confirm 7 \(Data(repeating: 0xAB, count: 32).base64EncodedString())\n")
        #expect(CountEvent(.shred, epoch: 12).text == "shred 12\n")
        for event in [confirm, CountEvent(.withdraw(c), epoch: 0), CountEvent(.shred, epoch: 3)] {
            #expect(try CountEvent(entry: event.entry) == event)
        }
        let b64 = c.base64
        for bad in [
            "confirm 7 \(b64)", "confirm 07 \(b64)\n", "confirm -1 \(b64)\n", "confirm 7  \(b64)\n", "Confirm 7 \(b64)\n", "shred\n",
            "shred 1 x\n", "confirm 7 \(b64.dropLast(2))\n", "withdraw 7 \(b64) \n", "confirm 7 \(b64)\r\n",
        ] {
            #expect(throws: CountLogError.malformedEntry) { try CountEvent(entry: Array(bad.utf8)) }
        }
    }

    @Test("an epoch is sorted by commitment, a confirm before its withdrawal, the shred last")
    func epochOrder() throws {
        let pending = [
            PendingCountEvent(.shred, hour: Self.hour), PendingCountEvent(.withdraw(try Self.c(2)), hour: Self.hour),
            PendingCountEvent(.confirm(try Self.c(9)), hour: Self.hour), PendingCountEvent(.confirm(try Self.c(2)), hour: Self.hour),
            PendingCountEvent(.confirm(try Self.c(1)), hour: Self.hour),
        ]
        let epoch = CountEpoch(number: 4, pending: pending)
        #expect(
            epoch.events.map(\.text)
                == [
                    CountEvent(.confirm(try Self.c(1)), epoch: 4), CountEvent(.confirm(try Self.c(2)), epoch: 4),
                    CountEvent(.withdraw(try Self.c(2)), epoch: 4),
                    CountEvent(.confirm(try Self.c(9)), epoch: 4), CountEvent(.shred, epoch: 4),
                ].map(\.text))
        // The order does not depend on the order events arrived in.
        #expect(CountEpoch(number: 4, pending: pending.reversed()) == epoch)
    }

    @Test("a closing epoch sorts into the order of CountEpoch, whatever order its events come in")
    func closingEpochOrder() throws {
        var generator = SystemRandomNumberGenerator()
        var kinds: [CountEvent.Kind] = [.shred]
        for _ in 0..<300 {
            // Commitments that share long prefixes, so that every word of the key is compared.
            var bytes = [UInt8](repeating: 7, count: 32)
            bytes[Int.random(in: 0..<32, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            let c = try ReceiptCommitment(bytes: bytes)
            kinds.append(.confirm(c))
            if Bool.random(using: &generator) { kinds.append(.withdraw(c)) }
        }
        kinds = Array(Set(kinds.map { CountEvent($0, epoch: 0) })).map(\.kind).shuffled(using: &generator)
        var closing = ClosingCountEpoch(number: 6)
        kinds.forEach { closing.add($0) }
        #expect(throws: CountLogError.self) { try closing.events(0..<1) }
        closing.sort()
        let expected = CountEpoch(number: 6, pending: kinds.map { PendingCountEvent($0, hour: Self.hour) }).events
        #expect(try closing.events(0..<closing.count) == expected)
        #expect(try closing.events(5..<9) == Array(expected[5..<9]))
    }

    @Test("appending a closing epoch: slices after what is appended, publish once all are, a published epoch left alone even behind later ones, a foreign tail refused")
    func closingEpochAppend() throws {
        var closing = ClosingCountEpoch(number: 2)
        for n in [5, 3, 9, 1, 7] as [UInt8] { closing.add(.confirm(try Self.c(n))) }
        closing.sort()
        let leaves = try closing.events(0..<5)
        let earlier = CountEvent(.confirm(try Self.c(4)), epoch: 1).entry
        // Nothing appended past the published size of 10, whose last leaf is epoch 1's: the first slice.
        #expect(try CountEpochAppend(closing, openEpoch: 3, published: 10, end: 10, last: earlier, slice: 2) == .append(at: 10, leaves: Array(leaves[0..<2])))
        // Two appended: the next slice after them.
        #expect(try CountEpochAppend(closing, openEpoch: 3, published: 10, end: 12, last: leaves[1].entry, slice: 2) == .append(at: 12, leaves: Array(leaves[2..<4])))
        #expect(try CountEpochAppend(closing, openEpoch: 3, published: 10, end: 14, last: leaves[3].entry, slice: 2) == .append(at: 14, leaves: [leaves[4]]))
        #expect(try CountEpochAppend(closing, openEpoch: 3, published: 10, end: 15, last: leaves[4].entry, slice: 2) == .publish(entries: 10..<15))
        // Published (by this call or another instance): nothing to do.
        #expect(try CountEpochAppend(closing, openEpoch: 3, published: 15, end: 15, last: leaves[4].entry, slice: 2) == .published)
        // Only the step that publishes reports the close.
        #expect(CountEpochAppend.publish(entries: 10..<15).closed(number: 2) == ClosedCountEpoch(number: 2, entries: 10..<15))
        #expect(CountEpochAppend.published.closed(number: 2) == nil)
        #expect(CountEpochAppend.append(at: 10, leaves: []).closed(number: 2) == nil)
        // Published, and the next epoch closed after it (this close stalled while another instance did both): nothing.
        let later = CountEvent(.confirm(try Self.c(2)), epoch: 3).entry
        #expect(try CountEpochAppend(closing, openEpoch: 4, published: 16, end: 16, last: later, slice: 2) == .published)
        #expect(try CountEpochAppend(closing, openEpoch: 5, published: 16, end: 17, last: later, slice: 2) == .published)
        // Unpublished leaves that are not this epoch's first ones, or more of them than it has, are refused.
        #expect(throws: CountLogError.self) { try CountEpochAppend(closing, openEpoch: 3, published: 10, end: 12, last: leaves[2].entry, slice: 2) }
        #expect(throws: CountLogError.self) { try CountEpochAppend(closing, openEpoch: 3, published: 10, end: 16, last: leaves[4].entry, slice: 2) }
    }

    @Test("an epoch closes once its oldest hour began minimumAge ago and it holds minimumEvents; a shred closes it at once")
    func closing() throws {
        let ten = try (1...10).map { PendingCountEvent(.confirm(try Self.c(UInt8($0))), hour: Self.hour.addingTimeInterval(1_234)) }
        func open(_ pending: [PendingCountEvent], accepting: Bool = true) -> OpenCountEpoch {
            OpenCountEpoch(number: 3, pending: pending, countingUpTo: CountEpochPolicy.standard.minimumEvents, acceptingSignatures: accepting)
        }
        #expect(CountEpoch.decide(open([]), now: Self.hour) == .empty)
        #expect(CountEpoch.decide(open(ten), now: Self.hour.addingTimeInterval(3_599)) == .waitForAge(until: Self.hour.addingTimeInterval(3_600)))
        #expect(CountEpoch.decide(open(ten), now: Self.hour.addingTimeInterval(3_600)) == .close)
        let nine = Array(ten.prefix(9))
        #expect(CountEpoch.decide(open(nine), now: Self.hour.addingTimeInterval(7_200)) == .waitForEvents(have: 9, need: 10))
        // A closed petition's last events close on age alone.
        #expect(CountEpoch.decide(open(nine, accepting: false), now: Self.hour.addingTimeInterval(7_200)) == .close)
        // Both figures are configuration.
        let quick = CountEpochPolicy(minimumAge: .zero, minimumEvents: 1)
        #expect(CountEpoch.decide(open([nine[0]]), now: Self.hour, policy: quick) == .close)
        // A shred closes at once, whatever the epoch's age and size.
        #expect(CountEpoch.decide(open([nine[0], PendingCountEvent(.shred, hour: Self.hour)]), now: Self.hour) == .close)
    }

    @Test("the summary a store decides on: the oldest hour, whether a shred waits, and the events counted up to a limit")
    func summary() throws {
        let early = PendingCountEvent(.confirm(try Self.c(1)), hour: Self.hour)
        let late = PendingCountEvent(.confirm(try Self.c(2)), hour: Self.hour.addingTimeInterval(7_200))
        let open = OpenCountEpoch(number: 2, pending: [late, early, late], countingUpTo: 2, acceptingSignatures: true)
        #expect(open == OpenCountEpoch(number: 2, oldestHour: Self.hour, holdsShred: false, events: 2, acceptingSignatures: true))
        let shredded = OpenCountEpoch(number: 2, pending: [PendingCountEvent(.shred, hour: Self.hour)], countingUpTo: 10, acceptingSignatures: false)
        #expect(shredded.holdsShred && shredded.events == 1)
        // A summary that counted only up to the policy's minimum decides as the whole epoch would.
        let many = OpenCountEpoch(number: 0, oldestHour: Self.hour, holdsShred: false, events: 10, acceptingSignatures: true)
        #expect(CountEpoch.decide(many, now: Self.hour.addingTimeInterval(3_600)) == .close)
        // A policy holds at least one event however it is set, so a store's count is never limited to none.
        var policy = CountEpochPolicy(minimumEvents: 0)
        #expect(policy.minimumEvents == 1)
        policy.minimumEvents = -5
        #expect(policy.minimumEvents == 1)
    }
}

@Suite("CountLog: count checkpoints")
struct CountLogCheckpointTests {
    @Test("the count travels in one extension line, signed under AUDIT/count/SLUG; the audit checkpoint format is unchanged")
    func checkpoint() throws {
        let entries = [CountEvent(.confirm(try ReceiptCommitment(bytes: Array(repeating: 1, count: 32))), epoch: 0).entry]
        let origin = CountCheckpoint.origin(auditOrigin: "example.org/audit", slug: "p")
        #expect(origin == "example.org/audit/count/p")
        #expect(CountCheckpoint.slug(origin: origin, auditOrigin: "example.org/audit") == "p")
        #expect(CountCheckpoint.slug(origin: "example.org/audit/count/", auditOrigin: "example.org/audit") == nil)
        let checkpoint = try CountCheckpoint(origin: origin, entries: entries)
        #expect(checkpoint.count == 1)
        #expect(checkpoint.text.hasSuffix("\ncount 1\n"))
        #expect(try CountCheckpoint(text: checkpoint.text) == checkpoint)
        let key = try Ed25519PrivateKey(seed: SecretBytes(copying: Array(0..<32)))
        let note = try checkpoint.signed(by: [key])
        let audit = SignedNote.Verifier(name: "example.org/audit", publicKey: key.publicKey)
        #expect(note.verified(by: CountCheckpoint.verifier(origin: origin, auditVerifier: audit)))
        // An audit checkpoint has no extension line and reads back as before; a count checkpoint needs its line.
        let plain = Checkpoint(origin: "o", size: 0, rootHash: Array(repeating: 0, count: 32))
        #expect(plain.text == "o\n0\n\(Data(repeating: 0, count: 32).base64EncodedString())\n")
        #expect(try Checkpoint(text: plain.text).extensions.isEmpty)
        #expect(throws: AuditError.malformedCheckpoint) { try CountCheckpoint(checkpoint: plain) }
        #expect(throws: AuditError.malformedCheckpoint) { try Checkpoint(text: plain.text + "\nx\n") }
        let forged = Checkpoint(origin: "o", size: 0, rootHash: plain.rootHash, extensions: ["count 01"])
        #expect(throws: AuditError.malformedCheckpoint) { try CountCheckpoint(checkpoint: forged) }
    }
}
