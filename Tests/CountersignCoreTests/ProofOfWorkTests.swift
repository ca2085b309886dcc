import CountersignCore
import CountersignCrypto
import Foundation
import Testing

@Suite("Proof of work (ALTCHA v1)")
struct ProofOfWorkTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let key = SecretBytes(copying: Array(repeating: UInt8(0x42), count: 32))

    /// A solver written from the protocol: the number whose `hex(SHA-256(salt ‖ number))` is the challenge.
    static func solve(_ challenge: ProofOfWorkChallenge) throws -> ProofOfWorkSolution {
        for number in 0...challenge.maxnumber {
            let digest = try SHA256.hash(Array((challenge.salt + String(number)).utf8))
            if Hex.encode(digest) == challenge.challenge {
                return ProofOfWorkSolution(
                    algorithm: challenge.algorithm, challenge: challenge.challenge, number: number,
                    salt: try ProofOfWorkSalt(parsing: challenge.salt), signature: challenge.signature)
            }
        }
        throw ProofOfWorkError.forged()
    }

    static func altered(_ solution: ProofOfWorkSolution, number: Int? = nil, salt: String? = nil, signature: String? = nil,
                        algorithm: String? = nil) throws -> ProofOfWorkSolution {
        ProofOfWorkSolution(
            algorithm: algorithm ?? solution.algorithm, challenge: solution.challenge, number: number ?? solution.number,
            salt: try salt.map { try ProofOfWorkSalt(parsing: $0) } ?? solution.salt, signature: signature ?? solution.signature)
    }

    @Test("a challenge has the ALTCHA v1 shape and a solution found from the protocol verifies, through its altcha field")
    func solves() throws {
        let authority = try ProofOfWorkAuthority(tokenKey: Self.key)
        let challenge = try authority.challenge(maxNumber: 2_000, now: Self.now)
        #expect(challenge.algorithm == "SHA-256")
        #expect(challenge.maxnumber == 2_000)
        #expect(challenge.salt.hasSuffix("?expires=\(1_800_000_600)&"))
        #expect(challenge.salt.count == 32 + "?expires=1800000600&".count)
        let solution = try Self.solve(challenge)
        let read = try ProofOfWorkSolution(field: solution.field())
        #expect(read == solution)
        let spent = try authority.verify(read, now: Self.now)
        #expect(Hex.encode(spent.digest) == challenge.challenge)
        #expect(spent.expires == Date(timeIntervalSince1970: 1_800_000_600))
    }

    @Test("a wrong number, a tampered salt, a forged signature, another key or algorithm, and an expired challenge are refused")
    func refusals() throws {
        let authority = try ProofOfWorkAuthority(tokenKey: Self.key)
        let solution = try Self.solve(try authority.challenge(maxNumber: 1_000, now: Self.now))
        #expect(throws: ProofOfWorkError.forged()) { try authority.verify(try Self.altered(solution, number: solution.number + 1), now: Self.now) }
        let later = solution.salt.text.replacingOccurrences(of: "expires=1800000600", with: "expires=1900000000")
        #expect(throws: ProofOfWorkError.forged()) { try authority.verify(try Self.altered(solution, salt: later), now: Self.now) }
        #expect(throws: ProofOfWorkError.forged()) {
            try authority.verify(try Self.altered(solution, signature: String(repeating: "0", count: 64)), now: Self.now)
        }
        #expect(throws: ProofOfWorkError.malformed("")) { try authority.verify(try Self.altered(solution, algorithm: "SHA-1"), now: Self.now) }
        let other = try ProofOfWorkAuthority(tokenKey: SecretBytes(copying: Array(repeating: UInt8(0x43), count: 32)))
        #expect(throws: ProofOfWorkError.forged()) { try other.verify(solution, now: Self.now) }
        #expect(throws: ProofOfWorkError.expired()) { try authority.verify(solution, now: Self.now.addingTimeInterval(600)) }
        #expect(throws: Never.self) { try authority.verify(solution, now: Self.now.addingTimeInterval(599)) }
    }

    @Test("the altcha field and the salt are read strictly", arguments: [
        "%%%", "", String(repeating: "A", count: 2_000),
        Data("[1]".utf8).base64EncodedString(),
        Data(#"{"algorithm":"SHA-256","challenge":"00","number":-1,"salt":"ab?expires=1&","signature":"00"}"#.utf8).base64EncodedString(),
        Data(#"{"algorithm":"SHA-256","challenge":"00","number":1.5,"salt":"ab?expires=1&","signature":"00"}"#.utf8).base64EncodedString(),
        Data(#"{"algorithm":"SHA-256","challenge":"00","number":1,"salt":"ab?expires=1","signature":"00"}"#.utf8).base64EncodedString(),
        Data(#"{"algorithm":"SHA-256","challenge":"00","number":1,"salt":"ab&","signature":"00"}"#.utf8).base64EncodedString(),
        Data(#"{"algorithm":"SHA-256","challenge":"00","number":1,"salt":"ab?expires=+1&","signature":"00"}"#.utf8).base64EncodedString(),
        Data(#"{"algorithm":"SHA-256","challenge":"00","number":1,"salt":"ab?expires=1&expires=2&","signature":"00"}"#.utf8).base64EncodedString(),
        Data(#"{"algorithm":"SHA-256","challenge":"00","number":1,"salt":"ab?expires=&","signature":"00"}"#.utf8).base64EncodedString(),
        Data(#"{"algorithm":"SHA-256","challenge":"00","salt":"ab?expires=1&","signature":"00"}"#.utf8).base64EncodedString(),
    ])
    func malformed(field: String) {
        #expect(throws: ProofOfWorkError.malformed("")) { try ProofOfWorkSolution(field: field) }
    }

    @Test("other members of the payload, such as the widget's took, are ignored")
    func extraMembers() throws {
        let json = #"{"algorithm":"SHA-256","challenge":"00","number":7,"salt":"ab?x=1&expires=5&","signature":"00","took":12}"#
        let solution = try ProofOfWorkSolution(field: Data(json.utf8).base64EncodedString())
        #expect(solution.number == 7 && solution.salt.expires == 5)
    }

    @Test("auto demands work above either threshold, on always, off never; maxnumber rises with the pressure up to the ceiling")
    func policy() {
        let auto = ProofOfWorkPolicy(mode: .auto)
        #expect(auto.demand(petitionRate: 600, networkRate: 20) == .init(required: false, maxNumber: 50_000))
        #expect(auto.demand(petitionRate: 601, networkRate: 0).required)
        #expect(auto.demand(petitionRate: 0, networkRate: 21).required)
        #expect(auto.demand(petitionRate: 0, networkRate: 40).maxNumber == 100_000)
        // A few fixed levels: 1.5 times the threshold is level 2, 3 times is 4, 5 times is 10.
        #expect(auto.demand(petitionRate: 900, networkRate: 0).maxNumber == 100_000)
        #expect(auto.demand(petitionRate: 0, networkRate: 60).maxNumber == 200_000)
        #expect(auto.demand(petitionRate: 3_000, networkRate: 0).maxNumber == 500_000)
        #expect(auto.demand(petitionRate: 600 * 100, networkRate: 0).maxNumber == 500_000)
        #expect(ProofOfWorkPolicy(mode: .on).demand(petitionRate: 0, networkRate: 0) == .init(required: true, maxNumber: 50_000))
        #expect(!ProofOfWorkPolicy(mode: .off).demand(petitionRate: 1e9, networkRate: 1e9).required)
    }

    @Test("the sign rate is the requests of the last minute, fading with the window, bounded in keys")
    func rates() {
        var meter = SignRateMeter<String>(capacity: 2)
        let start = Self.now
        for second in 0..<30 { _ = meter.record("a", at: start.addingTimeInterval(Double(second))) }
        #expect(meter.rate("a", at: start.addingTimeInterval(59)) == 30)
        // Half a minute into the next window, half of the previous one still counts.
        #expect(meter.record("a", at: start.addingTimeInterval(90)) == 1 + 15)
        #expect(meter.rate("a", at: start.addingTimeInterval(240)) == 0)
        _ = meter.record("b", at: start.addingTimeInterval(91))
        #expect(meter.record("c", at: start.addingTimeInterval(92)) == .infinity) // the window is full: c reads as busy
        #expect(meter.rate("c", at: start.addingTimeInterval(93)) == .infinity) // and reads so to demand() too
        #expect(meter.record("a", at: start.addingTimeInterval(300)) == 1) // long quiet: everything was dropped
        #expect(meter.count == 1)
    }

    @Test("a challenge carries, signed, its difficulty and its petition; a solution is allowed on that petition only")
    func binding() throws {
        let authority = try ProofOfWorkAuthority(tokenKey: Self.key)
        let petition = try PetitionSlug("save-the-bees")
        let bound = try authority.challenge(maxNumber: 1_000, petition: petition, now: Self.now)
        let salt = try ProofOfWorkSalt(parsing: bound.salt)
        #expect(salt.binding?.maxNumber == 1_000)
        #expect(try salt.binding?.allows(petition) == true)
        #expect(try salt.binding?.allows(PetitionSlug("other")) == false)
        let unbound = try ProofOfWorkSalt(parsing: try authority.challenge(maxNumber: 50_000, now: Self.now).salt)
        #expect(unbound.binding?.maxNumber == 50_000)
        #expect(try unbound.binding?.allows(PetitionSlug("other")) == true)
        #expect(try ProofOfWorkSalt(parsing: "abcd?expires=5&").binding == nil)
    }

    @Test("a spent challenge is refused until it has expired; the table forgets only expired ones and nothing before it began")
    func spent() throws {
        let started = Self.now.addingTimeInterval(-3_600)
        let spent = SpentChallenges(capacity: 3, lifetime: .seconds(600), started: started)
        func challenge(_ byte: UInt8, expires: TimeInterval) -> SpentChallenge {
            SpentChallenge(digest: Array(repeating: byte, count: 32), expires: Self.now.addingTimeInterval(expires))
        }
        #expect(spent.spend(challenge(1, expires: 600), at: Self.now))
        #expect(!spent.spend(challenge(1, expires: 600), at: Self.now.addingTimeInterval(1)))
        // After one turn-over it is still remembered (its generation is dropped at the next one, once it has expired).
        #expect(spent.spend(challenge(2, expires: 1_200), at: Self.now.addingTimeInterval(600)))
        #expect(!spent.spend(challenge(2, expires: 1_200), at: Self.now.addingTimeInterval(1_199)))
        // A request whose time was read before a turn-over, for a challenge that had expired by it, is refused.
        #expect(!spent.spend(challenge(7, expires: 600), at: Self.now.addingTimeInterval(599)))
        // A challenge issued before the table began (a restart of the process) is refused.
        let early = SpentChallenge(digest: Array(repeating: 8, count: 32), expires: started.addingTimeInterval(599))
        #expect(!SpentChallenges(lifetime: .seconds(600), started: started).spend(early, at: started))
        // At capacity, a new challenge is refused rather than remembered.
        #expect(spent.spend(challenge(3, expires: 1_500), at: Self.now.addingTimeInterval(1_000)))
        #expect(spent.spend(challenge(4, expires: 1_500), at: Self.now.addingTimeInterval(1_000)))
        #expect(!spent.spend(challenge(5, expires: 1_500), at: Self.now.addingTimeInterval(1_001)))
    }
}
