import CountersignCore
import CountersignTestSupport
import CountersignCrypto
import CountersignStorage
import Foundation
import GRDB
import PostgresNIO
import Testing

@Suite("Storage safety")
struct StorageSafetyTests {
    /// Whether `haystack` holds the UTF-8 bytes of `needle`: memchr for the first byte, then memcmp
    /// (`Data.range(of:)` takes minutes over these files).
    static func contains(_ haystack: Data, _ needle: String) -> Bool {
        let pattern = Array(needle.utf8)
        guard let first = pattern.first else { return true }
        return haystack.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) -> Bool in
            guard let base = bytes.baseAddress else { return false }
            var offset = 0
            while offset + pattern.count <= bytes.count,
                let hit = memchr(base + offset, Int32(first), bytes.count - offset - pattern.count + 1)
            {
                let position = base.distance(to: UnsafeRawPointer(hit))
                if memcmp(hit, pattern, pattern.count) == 0 { return true }
                offset = position + 1
            }
            return false
        }
    }

    static func temporaryDatabase() -> (folder: URL, path: String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("countersign-safety-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return (folder, folder.appendingPathComponent("countersign.sqlite").path)
    }

    @Test("SQLite: a database of a newer schema version is refused, naming the version")
    func sqliteNewerSchema() async throws {
        let (folder, path) = Self.temporaryDatabase()
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try await SQLiteSignatureStore(path: path)
        try await DatabaseQueue(path: path).write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99')")
        }
        do {
            _ = try await SQLiteSignatureStore(path: path)
            Issue.record("a database with schema v99 was opened")
        } catch {
            #expect(error.code == .newerSchema)
            #expect(error.reason.contains("v99"))
            #expect(error.reason.contains("upgrade Countersign"))
        }
    }

    @Test("PostgreSQL: a database of a newer schema version is refused, naming the version")
    func postgresNewerSchema() async throws {
        try await TestPostgres.withFreshSchema { client in
            let store = PostgresSignatureStore(client: client)
            try await store.migrate()
            try await client.query("INSERT INTO schema_migrations (version, applied_at) VALUES (99, 0)")
            do {
                try await store.migrate()
                Issue.record("a database with schema version 99 was migrated")
            } catch let error as StoreError {
                #expect(error.code == .newerSchema)
                #expect(error.reason.contains("99"))
            }
        }
    }

    @Test("PostgreSQL: counts kept in one row per cell (schema 4) move to count shards (schema 5) unchanged, and the count log starts empty")
    func postgresShardMigration() async throws {
        try await TestPostgres.withFreshSchema { client in
            let store = PostgresSignatureStore(client: client)
            try await store.migrate()
            let slug = SignatureStoreContractTests.slug
            try await store.createPetition(SignatureStoreContractTests.petition())
            for signer in 0..<5 {
                _ = try await store.sign(SignatureStoreContractTests.request(signer, token: signer, region: signer < 3 ? "New York" : nil))
                _ = try await store.confirm(tokenID: SignatureStoreContractTests.token(signer), at: SignatureStoreContractTests.now, commit: anyReceipt)
            }
            let expected = try await store.aggregates(slug)
            #expect(expected.total == 5)
            // Back to schema 4 as it was: the counts in the petition row, day_count and region_count, no count log.
            for statement in [
                "DROP TABLE spent_challenge",
                "DROP TABLE count_pending",
                "DROP TABLE count_entry",
                "ALTER TABLE petition DROP COLUMN count_log_size",
                "ALTER TABLE signature DROP COLUMN commitment",
                "ALTER TABLE petition DROP COLUMN count_epoch",
                "ALTER TABLE petition ADD COLUMN total BIGINT NOT NULL DEFAULT 0 CHECK (total >= 0)",
                "CREATE TABLE day_count (petition_id BIGINT NOT NULL REFERENCES petition (id), day TEXT NOT NULL, count BIGINT NOT NULL CHECK (count > 0), PRIMARY KEY (petition_id, day))",
                "CREATE TABLE region_count (petition_id BIGINT NOT NULL REFERENCES petition (id), region TEXT NOT NULL, count BIGINT NOT NULL CHECK (count > 0), PRIMARY KEY (petition_id, region))",
                "UPDATE petition SET total = (SELECT count(*) FROM signature)",
                "INSERT INTO day_count SELECT petition_id, day, count(*) FROM signature GROUP BY petition_id, day",
                "INSERT INTO region_count SELECT petition_id, region, count(*) FROM signature WHERE region IS NOT NULL GROUP BY petition_id, region",
                "DROP TABLE count_shard",
                "DELETE FROM schema_migrations WHERE version >= 5",
            ] {
                try await client.query(PostgresQuery(unsafeSQL: statement))
            }
            try await store.migrate()
            #expect(try await store.aggregates(slug) == expected)
            #expect(try await store.recount(slug).consistent)
            #expect(try await store.petitionTotals().map(\.total) == [5])
            #expect(try await store.countEntryCount(slug) == 0)
        }
    }

    @Test("SQLite: a count-epoch close cut short shows nothing of the epoch, and the next call finishes it first, whatever the policy")
    func sqliteCloseCutShort() async throws {
        let (folder, path) = Self.temporaryDatabase()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try await SQLiteSignatureStore(path: path)
        let slug = SignatureStoreContractTests.slug
        let now = SignatureStoreContractTests.now
        try await store.createPetition(SignatureStoreContractTests.petition())
        for signer in 0..<3 {
            _ = try await store.sign(SignatureStoreContractTests.request(signer, token: signer))
            _ = try await store.confirm(tokenID: SignatureStoreContractTests.token(signer), at: now, commit: anyReceipt)
        }
        let young = CountEpochPolicy(minimumAge: .seconds(3_600), minimumEvents: 1, slice: 2)
        // A crash after the next epoch opened and the first leaf was appended, before the rest and the publication.
        let database = try DatabaseQueue(path: path)
        let commitments = try await database.read { db in try Data.fetchAll(db, sql: "SELECT commitment FROM count_pending WHERE epoch = 0") }
        var closing = ClosingCountEpoch(number: 0)
        for c in commitments { closing.add(.confirm(try ReceiptCommitment(bytes: Array(c)))) }
        closing.sort()
        let leaves = try closing.events(0..<3)
        try await database.write { db in
            try db.execute(sql: "UPDATE petition SET count_epoch = 1")
            try db.execute(sql: "INSERT INTO count_entry (petition_id, seq, entry) SELECT id, 0, ? FROM petition", arguments: [Data(leaves[0].entry)])
        }
        // The log shows none of it.
        #expect(try await store.countEntryCount(slug) == 0)
        #expect(try await store.countEntries(slug, 0..<10).isEmpty)
        // A too-young policy would close nothing new, but the close cut short is finished, and nothing is appended twice.
        #expect(try await store.closeCountEpoch(slug, at: now, policy: young) == ClosedCountEpoch(number: 0, entries: 0..<3))
        #expect(try await store.countEntries(slug, 0..<10) == leaves.map(\.entry))
        #expect(try await database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM count_pending") } == 0)
        // A crash after the publication, before the events were deleted: they are deleted, and nothing is appended.
        try await database.write { db in
            try db.execute(
                sql: "INSERT INTO count_pending (petition_id, kind, commitment, hour, epoch) SELECT id, 1, ?, 0, 0 FROM petition", arguments: [commitments[0]])
        }
        #expect(try await store.closeCountEpoch(slug, at: now, policy: young) == nil)
        #expect(try await store.countEntryCount(slug) == 3)
        #expect(try await database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM count_pending") } == 0)
        // A crash right after the next epoch opened, before anything was appended: the next call closes that epoch.
        _ = try await store.sign(SignatureStoreContractTests.request(9, token: 9))
        #expect(try await store.confirm(tokenID: SignatureStoreContractTests.token(9), at: now, commit: anyReceipt) == .confirmed(slug: slug, epoch: 1))
        try await database.write { db in try db.execute(sql: "UPDATE petition SET count_epoch = 2") }
        #expect(try await store.countEntryCount(slug) == 3)
        #expect(try await store.closeCountEpoch(slug, at: now, policy: young) == ClosedCountEpoch(number: 1, entries: 3..<4))
        #expect(try CountEvent(entry: try #require(try await store.countEntries(slug, 3..<4).first)).epoch == 1)
        #expect(try await store.closeCountEpoch(slug, at: now, policy: young) == nil)
        // Events of an epoch older than the one closing cannot be appended in order: refused as a damaged database.
        try await database.write { db in
            try db.execute(sql: "UPDATE petition SET count_epoch = 4")
            try db.execute(sql: "INSERT INTO count_pending (petition_id, kind, commitment, hour, epoch) SELECT id, 3, NULL, 0, 1 FROM petition")
        }
        await #expect(throws: StoreError(.corruptDatabase, "")) { try await store.closeCountEpoch(slug, at: now, policy: young) }
        #expect(try await store.countEntryCount(slug) == 4)
    }

    @Test("a file that is not a SQLite database is reported as corrupt and left byte for byte as it was")
    func notADatabase() async throws {
        let (folder, path) = Self.temporaryDatabase()
        defer { try? FileManager.default.removeItem(at: folder) }
        let garbage = Data((0..<16_384).map { _ in UInt8.random(in: 0...255) })
        try garbage.write(to: URL(fileURLWithPath: path))
        await #expect(throws: StoreError(.corruptDatabase, "")) { try await SQLiteSignatureStore(path: path) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == garbage)
    }

    @Test("a Countersign database with a damaged header is reported as corrupt and not overwritten")
    func damagedHeader() async throws {
        let (folder, path) = Self.temporaryDatabase()
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            let store = try await SQLiteSignatureStore(path: path)
            try await store.createPetition(SignatureStoreContractTests.seedPetition)
        }
        try await DatabaseQueue(path: path).writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes.replaceSubrange(0..<16, with: Data("not sqlite here!".utf8))
        try bytes.write(to: URL(fileURLWithPath: path))
        do {
            _ = try await SQLiteSignatureStore(path: path)
            Issue.record("a database with a damaged header was opened")
        } catch {
            #expect(error.code == .corruptDatabase)
            #expect(error.reason.contains("restore it from a backup"))
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == bytes)
    }

    @Test("the SQLite file, WAL and shared memory hold none of the signers' addresses or canonical forms")
    func noAddressesOnDisk() async throws {
        let (folder, path) = Self.temporaryDatabase()
        defer { try? FileManager.default.removeItem(at: folder) }
        let addresses = (0..<300).map { n in
            n % 3 == 0 ? "Signer.Number\(n)+petition@Example.ORG" : n % 3 == 1 ? "person\(n)@bücher.example.com" : "s.i.g.n.e.r\(n)@googlemail.com"
        }
        let canonical = try addresses.map { try CanonicalEmail($0).value }
        let generator = try PseudonymGenerator(petitionKey: SecretBytes.random(count: 32), salt: SecureRandom.bytes(count: 16))
        let store = try await SQLiteSignatureStore(path: path)
        try await store.createPetition(SignatureStoreContractTests.seedPetition)
        for (index, address) in addresses.enumerated() {
            let token = try TokenID(bytes: SecureRandom.bytes(count: 16))
            _ = try await store.sign(PendingRequest(
                slug: SignatureStoreContractTests.slug, pseudonym: generator.pseudonym(for: CanonicalEmail(address)),
                region: index % 2 == 0 ? "California" : nil, tokenID: token, expiresAt: Date().addingTimeInterval(3600)))
            if index % 4 != 0 { _ = try await store.confirm(tokenID: token, at: Date(), commit: anyReceipt) }
        }
        #expect(try await store.aggregates(SignatureStoreContractTests.slug).total == 225)

        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(files.contains("countersign.sqlite-wal"))
        var searched = 0
        var controlFound = false
        for file in files {
            let bytes = try Data(contentsOf: folder.appendingPathComponent(file))
            searched += bytes.count
            // Control: the search does find what the store does keep.
            controlFound = controlFound || Self.contains(bytes, SignatureStoreContractTests.slug.value)
            for needle in Set(addresses + canonical + addresses.map { String($0.split(separator: "@")[0]) }) {
                #expect(!Self.contains(bytes, needle), "\(file) contains a signer's address")
                #expect(!Self.contains(bytes, needle.lowercased()), "\(file) contains a signer's address")
            }
        }
        #expect(searched > 0)
        #expect(controlFound, "the search found not even the petition slug; it cannot be trusted")
    }
}
