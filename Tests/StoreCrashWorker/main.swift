// Crash-test worker: confirms signatures in a loop and prints `ack HEX` (the pseudonym) on stdout after each
// confirmation the store acknowledged. The crash tests kill it, or the database server, with SIGKILL and then
// check that every acknowledged confirmation survived.
//   StoreCrashWorker DATABASE FIRST-SIGNER
import CountersignCore
import CountersignCrypto
import CountersignStorage
import Foundation

struct Usage: Error, CustomStringConvertible {
    var description: String { "usage: StoreCrashWorker sqlite:PATH|postgres://… FIRST-SIGNER" }
}

let arguments = CommandLine.arguments
guard arguments.count == 3, let first = Int(arguments[2]) else { throw Usage() }
let location = try DatabaseLocation(arguments[1])
let slug = try PetitionSlug("crash-test")

try await location.withStore { store in
    if try await store.petition(slug) == nil {
        try await store.createPetition(PetitionRecord(
            slug: slug, title: "Crash test", text: "Text.", regions: ["A", "B"], salt: SecureRandom.bytes(count: 16),
            wrappedKey: nil, createdAt: Date()))
    }
    let deadline = Date().addingTimeInterval(60)
    // Eight writers at a time, so that SQLite's group commit batches them.
    try await withThrowingTaskGroup(of: Void.self) { group in
        for lane in 0..<8 {
            group.addTask {
                var signer = first + lane
                while Date() < deadline, signer < first + 400_000 {
                    defer { signer += 8 }
                    let pseudonym = try Pseudonym(bytes: SecureRandom.bytes(count: 32))
                    let token = try TokenID(bytes: SecureRandom.bytes(count: 16))
                    do {
                        _ = try await store.sign(PendingRequest(
                            slug: slug, pseudonym: pseudonym, region: signer % 3 == 0 ? nil : ["A", "B"][signer % 2], tokenID: token,
                            expiresAt: Date().addingTimeInterval(3600)))
                        if try await store.confirm(tokenID: token, at: Date(), commit: anyReceipt).counted {
                            // Unbuffered: a line on the pipe is an acknowledgement the parent can hold the store to.
                            FileHandle.standardOutput.write(Data("ack \(Hex.encode(pseudonym.bytes))\n".utf8))
                        }
                    } catch {
                        // The database went away (the PostgreSQL crash test kills it); keep trying until killed.
                        try await Task.sleep(for: .milliseconds(50))
                    }
                }
            }
        }
        try await group.waitForAll()
    }
}

/// A commitment to a fresh secret that no one keeps: these confirmations offer no receipt.
@Sendable func anyReceipt(_ slug: PetitionSlug) throws -> ReceiptCommitment {
    try ReceiptCommitment(slug: slug.value, secret: ReceiptCommitment.randomSecret())
}
