import ArgumentParser
import CountersignCore
import CountersignCrypto
import CountersignStorage
import Foundation

struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Create, list, rotate and destroy the keys in the keyring; every change is written to the audit log.",
        subcommands: [Init.self, List.self, Rotate.self, Rewrap.self, Destroy.self, Rekey.self]
    )

    struct Location: ParsableArguments {
        @Option(name: .customLong("keys"), help: "The keyring folder.")
        var directory = ProcessInfo.processInfo.environment["COUNTERSIGN_KEYS"] ?? "Keys/local"

        var file: KeyringFile { KeyringFile(directory: directory) }
    }

    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a keyring with one primary key per purpose.")

        @OptionGroup var location: Location

        func run() throws {
            let keyring = try location.file.initialize(now: Date())
            print("Created \(location.file.path)")
            print(KeyListing.table(KeyListing.of(keyring, now: Date())))
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List keys with their fingerprints (never their material) and the audit log's verifier key.")

        @OptionGroup var location: Location
        @OptionGroup var audit: AuditOriginOption

        @Flag(help: "Print JSON instead of a table.")
        var json = false

        func run() throws {
            let keyring = try location.file.load()
            let listings = KeyListing.of(keyring, now: Date())
            guard !json else { return print(try KeyListing.json(listings)) }
            print(KeyListing.table(listings))
            if let verifier = try KeyEvents.verifier(of: keyring.primary(.log), origin: audit.origin) {
                print("\nAudit log verifier key: \(verifier)")
                print("(named for \(audit.origin); a running service serves the key in use at /audit/key)")
            }
        }
    }

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a fresh primary key for a purpose; the old primary becomes verify-only.",
            discussion: "A master rotation then re-wraps every petition key under the new master, in batches, with progress.")

        @OptionGroup var location: Location
        @OptionGroup var database: DatabaseOption
        @OptionGroup var audit: AuditOriginOption

        @Option(help: "The purpose to rotate: master, token or log.")
        var purpose: KeyPurpose

        func run() async throws {
            let key = try location.file.update { keyring throws(KeyringError) in try keyring.rotate(purpose, now: Date()) }
            print("New primary \(purpose.rawValue) key \(key.kidHex), fingerprint \(key.fingerprint)")
            try await record(location, database, audit, rewrap: purpose == .master)
        }
    }

    struct Rewrap: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-wrap petition keys still under an old master key (resumes an interrupted master rotation).")

        @OptionGroup var location: Location
        @OptionGroup var database: DatabaseOption
        @OptionGroup var audit: AuditOriginOption

        func run() async throws {
            try await record(location, database, audit, rewrap: true)
        }
    }

    struct Destroy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Erase a key's material once nothing needs it: no petition key wrapped under it, no unexpired token signed by it.")

        @OptionGroup var location: Location
        @OptionGroup var database: DatabaseOption
        @OptionGroup var audit: AuditOriginOption

        @Argument(help: "The key id, 8 hex digits, as `keys list` shows it.")
        var kid: String

        func run() async throws {
            guard kid.count == 8, let id = UInt32(kid, radix: 16) else {
                throw ValidationError("a key id is 8 hex digits, such as 1a2b3c4d; see `countersign keys list`")
            }
            let destroyed = try await database.location().withStore { store in
                try await KeyDestruction.destroy(
                    kid: id, file: location.file, log: try await audit.log(store),
                    tokenLifetime: TimeInterval(TokenAuthority.defaultLifetime), now: Date())
            }
            print("Destroyed \(destroyed.purpose.rawValue) key \(destroyed.kidHex) (fingerprint \(destroyed.fingerprint) stays on record)")
        }
    }

    struct Rekey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Emergency re-keying of one petition: every stored pseudonym P becomes HMAC(K', P) under a fresh key K'.")

        @OptionGroup var location: Location
        @OptionGroup var database: DatabaseOption
        @OptionGroup var audit: AuditOriginOption

        @Argument(help: "The petition's slug.")
        var slug: String

        func run() async throws {
            let slug = try PetitionSlug(slug)
            let keyring = try location.file.load()
            let changed = try await database.location().withStore { store in
                try await PetitionRekey.run(slug, keyring: keyring, log: try await audit.log(store), now: Date())
            }
            print("Re-keyed \(changed) pseudonym(s) of \(slug); a running server picks up the new layer on its next sign")
        }
    }
}

/// Logs the keyring's new key events and, for a master rotation, re-wraps the petition keys with a progress bar.
private func record(
    _ location: KeysCommand.Location, _ database: DatabaseOption, _ audit: AuditOriginOption, rewrap: Bool
) async throws {
    let keyring = try location.file.load()
    let moved = try await database.location().withStore { store in
        let log = try await audit.log(store)
        try await KeyEvents.record(keyring, in: log, now: Date())
        guard rewrap else { return 0 }
        let bar = ProgressBar(label: "re-wrapping petition keys")
        return try await MasterRewrap.run(keyring: keyring, log: log, now: Date()) { done, total in bar.show(done: done, total: total) }
    }
    if rewrap { print("Re-wrapped \(moved) petition key(s) under master key \(try keyring.primary(.master).kidHex)") }
}

extension KeyPurpose: ExpressibleByArgument {}
