import CountersignCrypto
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("Keyring")
struct KeyringTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test("a new keyring has exactly one primary key per purpose, with the policy's cryptoperiods")
    func generate() throws {
        let keyring = try Keyring.generate(now: now)
        for purpose in KeyPurpose.allCases {
            let keys = keyring.keys(purpose)
            #expect(keys.count == 1)
            #expect(keys.first?.status == .primary)
            #expect(keys.first?.material?.count == 32)
            let period = try keyring.primary(purpose).notAfter.timeIntervalSince(now)
            #expect(Int64(period) == KeyPolicy.default.cryptoperiod(of: purpose))
        }
        #expect(KeyPolicy.default.cryptoperiod(of: .token) == 90 * 86_400)
        #expect(KeyPolicy.default.cryptoperiod(of: .master) == 365 * 86_400)
        #expect(KeyPolicy.default.cryptoperiod(of: .log) == 730 * 86_400)
    }

    @Test("rotating makes a new primary and the old primary verify-only")
    func rotate() throws {
        var keyring = try Keyring.generate(now: now)
        let old = try keyring.primary(.token)
        let fresh = try keyring.rotate(.token, now: now.addingTimeInterval(60))
        #expect(fresh.kid != old.kid)
        #expect(try keyring.primary(.token).kid == fresh.kid)
        #expect(keyring.key(kid: old.kid)?.status == .verifyOnly)
        #expect(keyring.key(kid: old.kid)?.material == old.material)
        #expect(keyring.keys(.master).count == 1)
    }

    @Test("the rules are enforced: two primaries, missing or wrong-length material, material on a destroyed key, a bad fingerprint")
    func invariants() throws {
        let keys = try Keyring.generate(now: now).keys
        let extraPrimary = try KeyEntry.generate(kid: 1, purpose: .token, status: .primary, now: now, policy: .default)
        #expect(throws: KeyringError(.invalid, "")) { try Keyring(keys: keys + [extraPrimary]) }
        #expect(throws: KeyringError(.invalid, "")) { try Keyring(keys: keys.filter { $0.purpose != .log }) }
        #expect(throws: KeyringError(.invalid, "")) { try Keyring(keys: keys + [keys[0]]) }

        let json = try JSONEncoder().encode(try Keyring(keys: keys))
        var document = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        var entries = try #require(document["keys"] as? [[String: Any]])
        entries[0]["status"] = "destroyed"
        document["keys"] = entries
        #expect(throws: KeyringError.self) { try JSONDecoder().decode(Keyring.self, from: JSONSerialization.data(withJSONObject: document)) }
        entries[0]["status"] = "primary"
        entries[0]["material"] = String(repeating: "00", count: 32)
        document["keys"] = entries
        #expect(throws: KeyringError.self) { try JSONDecoder().decode(Keyring.self, from: JSONSerialization.data(withJSONObject: document)) }
        entries[0]["material"] = String(repeating: "00", count: 16)
        document["keys"] = entries
        #expect(throws: KeyringError.self) { try JSONDecoder().decode(Keyring.self, from: JSONSerialization.data(withJSONObject: document)) }
    }

    @Test("descriptions and JSON listings never show key material")
    func noMaterialInListings() throws {
        let keyring = try Keyring.generate(now: now)
        let listing = KeyListing.of(keyring, now: now)
        let text = (try KeyListing.json(listing)) + keyring.keys.map(\.description).joined()
        var dumped = ""
        dump(keyring.keys, to: &dumped)
        for key in keyring.keys {
            let material = try #require(key.material).hexEncoded
            #expect(!text.contains(material))
            #expect(!dumped.contains(material))
            #expect(text.contains(key.fingerprint))
        }
    }

    @Test("a listing flags a primary key past its cryptoperiod as due for rotation")
    func rotationDue() throws {
        let keyring = try Keyring.generate(now: now)
        let later = now.addingTimeInterval(TimeInterval(91 * KeyPolicy.day))
        let due = KeyListing.of(keyring, now: later).filter(\.rotationDue).map(\.purpose)
        #expect(due == [.token])
    }
}

@Suite("Keyring file")
struct KeyringFileTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func temporaryFolder() throws -> String {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("countersign-keyring-\(UUID().uuidString)")
        return base.appendingPathComponent("local").path
    }

    @Test("init writes a 0600 file in a 0700 folder, and load reads back the same keyring")
    func roundTrip() throws {
        let file = KeyringFile(directory: try temporaryFolder())
        let created = try file.initialize(now: now)
        var info = stat()
        #expect(stat(file.path, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)
        #expect(stat(file.directory, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o700)
        #expect(try file.load() == created)
        #expect(throws: KeyringError(.alreadyExists, "")) { try file.initialize(now: now) }
    }

    @Test("a keyring the group or others can read is refused with the chmod that fixes it")
    func refusesReadableFile() throws {
        let file = KeyringFile(directory: try temporaryFolder())
        try file.initialize(now: now)
        #expect(chmod(file.path, 0o644) == 0)
        do {
            _ = try file.load()
            Issue.record("a 0644 keyring was loaded")
        } catch {
            #expect(error.code == .insecurePermissions)
            #expect(error.reason.contains("0644"))
            #expect(error.reason.contains("chmod 600 \(file.path)"))
        }
        #expect(chmod(file.path, 0o640) == 0)
        #expect(throws: KeyringError(.insecurePermissions, "")) { try file.load() }
        #expect(chmod(file.path, 0o600) == 0)
        #expect(throws: Never.self) { try file.load() }
    }

    @Test("a keyring in a folder the group or others can read is refused")
    func refusesReadableFolder() throws {
        let file = KeyringFile(directory: try temporaryFolder())
        try file.initialize(now: now)
        #expect(chmod(file.directory, 0o755) == 0)
        do {
            _ = try file.load()
            Issue.record("a keyring in a 0755 folder was loaded")
        } catch {
            #expect(error.code == .insecurePermissions)
            #expect(error.reason.contains("chmod 700 \(file.directory)"))
        }
    }

    @Test("a missing keyring says to run keys init; a corrupt one is reported and left alone")
    func missingAndCorrupt() throws {
        let file = KeyringFile(directory: try temporaryFolder())
        do {
            _ = try file.load()
            Issue.record("a missing keyring was loaded")
        } catch {
            #expect(error.code == .missing)
            #expect(error.reason.contains("keys init"))
        }
        try file.initialize(now: now)
        let corrupt = Data("{\"format\": \"countersign-keyring/v1\", \"keys\": [".utf8)
        try corrupt.write(to: URL(fileURLWithPath: file.path))
        #expect(throws: KeyringError(.malformed, "")) { try file.load() }
        #expect(throws: KeyringError.self) { try file.update { keyring throws(KeyringError) in try keyring.rotate(.token, now: now) } }
        #expect(try Data(contentsOf: URL(fileURLWithPath: file.path)) == corrupt)
    }

    @Test("update rotates atomically: no temporary file is left and the new primary is on disk")
    func atomicUpdate() throws {
        let file = KeyringFile(directory: try temporaryFolder())
        try file.initialize(now: now)
        let fresh = try file.update { keyring throws(KeyringError) in try keyring.rotate(.master, now: now) }
        #expect(try file.load().primary(.master).kid == fresh.kid)
        let names = try FileManager.default.contentsOfDirectory(atPath: file.directory).sorted()
        #expect(names == ["keyring.json", "keyring.lock"])
    }

    @Test("concurrent rotations under the lock lose no key")
    func concurrentUpdates() async throws {
        let file = KeyringFile(directory: try temporaryFolder())
        try file.initialize(now: now)
        let now = self.now
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    _ = try? file.update { keyring throws(KeyringError) in try keyring.rotate(.token, now: now) }
                }
            }
        }
        let keyring = try file.load()
        #expect(keyring.keys(.token).count == 9)
        #expect(keyring.keys(.token).filter { $0.status == .primary }.count == 1)
    }
}
