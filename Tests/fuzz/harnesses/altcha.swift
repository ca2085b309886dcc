@testable import CountersignCore
import CountersignCrypto
import Foundation

/// The ALTCHA payload (`ProofOfWorkSolution(field:)`, `ProofOfWorkSalt(parsing:)`) and its check (`ProofOfWorkAuthority`).
///
/// - Any text is refused with a `ProofOfWorkError` or read; a solution read is read again, equal, from the field it
///   writes, and its salt ends in `&` with a non-negative `expires`.
/// - A solution read is accepted by the authority only if its number solves its challenge and the challenge carries
///   this key's signature; then the spent digest is the challenge's bytes.
/// - A challenge minted with a fuzz-chosen maxnumber (up to 64) and solved by trying every number verifies, and is
///   refused with the next number, with another key, and once expired.
@_cdecl("LLVMFuzzerTestOneInput")
public func altchaFuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = fuzzText(data, size)
    checkRead(text)
    checkMinted(maxNumber: size > 0 ? Int((data?[0] ?? 0) % 65) : 0)
    return 0
}

private let now = Date(timeIntervalSince1970: 1_800_000_000)
private let authority = makeAuthority(0x42)
private let other = makeAuthority(0x43)

private func makeAuthority(_ byte: UInt8) -> ProofOfWorkAuthority {
    guard let authority = try? ProofOfWorkAuthority(tokenKey: SecretBytes(copying: Array(repeating: byte, count: 32))) else {
        fatalError("cannot build the proof-of-work authority")
    }
    return authority
}

private func checkRead(_ text: String) {
    let solution: ProofOfWorkSolution
    do {
        solution = try ProofOfWorkSolution(field: text)
    } catch {
        return
    }
    fuzzProperty(solution.salt.text.hasSuffix("&") && solution.salt.expires >= 0, "read a salt without & or with a negative expiry")
    fuzzProperty((try? ProofOfWorkSolution(field: solution.field())) == solution, "a solution read does not read again from its field")
    guard let spent = try? authority.verify(solution, now: now) else { return }
    let digest = (try? SHA256.hash(Array((solution.salt.text + String(solution.number)).utf8))) ?? []
    fuzzProperty(spent.digest == digest && Hex.encode(digest) == solution.challenge, "accepted a number that does not solve the challenge")
}

private func checkMinted(maxNumber: Int) {
    guard let challenge = try? authority.challenge(maxNumber: maxNumber, now: now),
        let salt = try? ProofOfWorkSalt(parsing: challenge.salt)
    else {
        fuzzProperty(false, "a minted challenge has a salt that does not parse")
        return
    }
    let number = (0...maxNumber).first { number in
        (try? SHA256.hash(Array((challenge.salt + String(number)).utf8))).map(Hex.encode) == challenge.challenge
    }
    guard let number else {
        fuzzProperty(false, "no number up to maxnumber solves a minted challenge")
        return
    }
    let solution = ProofOfWorkSolution(algorithm: challenge.algorithm, challenge: challenge.challenge, number: number, salt: salt,
                                       signature: challenge.signature)
    fuzzProperty((try? authority.verify(solution, now: now)) != nil, "a solved challenge is refused")
    let next = ProofOfWorkSolution(algorithm: challenge.algorithm, challenge: challenge.challenge, number: number + 1, salt: salt,
                                   signature: challenge.signature)
    fuzzProperty((try? authority.verify(next, now: now)) == nil, "the next number is accepted")
    fuzzProperty((try? other.verify(solution, now: now)) == nil, "another key accepts the solution")
    fuzzProperty((try? authority.verify(solution, now: now.addingTimeInterval(600))) == nil, "an expired challenge is accepted")
}
