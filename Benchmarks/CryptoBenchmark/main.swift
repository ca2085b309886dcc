// Measures one figure per run, so that `Benchmarks/crypto.sh` can interleave it with `openssl speed` and
// compare the two in the same run. Usage: CryptoBenchmark pseudonym|canonical-pseudonym|token-verify SECONDS
import CountersignCore
import CountersignCrypto
import Foundation

enum BenchmarkError: Error, CustomStringConvertible {
    case usage
    var description: String { "usage: CryptoBenchmark pseudonym|canonical-pseudonym|token-verify SECONDS" }
}

/// Runs `body` in batches until `seconds` have passed and returns operations per second.
func measure(seconds: Double, _ body: () throws -> Void) rethrows -> Double {
    let clock = ContinuousClock()
    let start = clock.now
    let limit = Duration.milliseconds(Int64(seconds * 1000))
    var operations = 0
    while clock.now - start < limit {
        for _ in 0..<1000 { try body() }
        operations += 1000
    }
    let elapsed = clock.now - start
    return Double(operations) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
}

let arguments = CommandLine.arguments.dropFirst()
guard arguments.count == 2, let seconds = Double(arguments.last ?? "") else { throw BenchmarkError.usage }

let generator = try PseudonymGenerator(petitionKey: SecretBytes.random(count: 32), salt: SecureRandom.bytes(count: 16))
// "countersign/pseudonym/v1" ‖ 0x00 ‖ salt is 41 bytes; a 23-byte address makes the 64-byte message that
// `openssl speed -hmac sha256 -bytes 64` authenticates.
let addresses = (0..<1000).map { String(format: "s%09d@example.com", $0) }
let emails = try addresses.map { try CanonicalEmail($0) }
var index = 0
var sink: UInt8 = 0

switch arguments.first {
case "pseudonym":
    let rate = try measure(seconds: seconds) {
        sink ^= try generator.pseudonym(for: emails[index % emails.count]).bytes[0]
        index &+= 1
    }
    print(String(format: "%.0f", rate))
case "canonical-pseudonym":
    let rate = try measure(seconds: seconds) {
        sink ^= try generator.pseudonym(for: CanonicalEmail(addresses[index % addresses.count])).bytes[0]
        index &+= 1
    }
    print(String(format: "%.0f", rate))
case "token-verify":
    let authority = try TokenAuthority(keys: [.init(kid: 1, status: .primary, material: SecretBytes.random(count: 32))], primaryKid: 1)
    let tokens = try (0..<1000).map { _ in try authority.issue(.confirm, expires: UInt64.max).text }
    let now = UInt64(Date().timeIntervalSince1970)
    let rate = try measure(seconds: seconds) {
        sink ^= try authority.verify(tokens[index % tokens.count], for: .confirm, now: now).id[0]
        index &+= 1
    }
    print(String(format: "%.0f", rate))
default:
    throw BenchmarkError.usage
}
if sink == 0x5a { FileHandle.standardError.write(Data([sink])) }
