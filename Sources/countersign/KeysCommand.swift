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
            print(KeyTable.render(KeyListing.of(keyring, now: Date())))
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
            print(KeyTable.render(listings))
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
            // Two steps on purpose (``KeyRotation``): the keyring rotates even when the database is down.
            let key = try KeyRotation.rotate(purpose, file: location.file, now: Date())
            print("New primary \(purpose.rawValue) key \(key.kidHex), fingerprint \(key.fingerprint)")
            let bar = ProgressBar(label: "re-wrapping petition keys")
            let (moved, _) = try await database.location().withStore { [purpose] store in
                try await KeyRotation.complete(
                    file: location.file, log: try await audit.naming.log(over: store), rewrap: purpose == .master, now: Date(),
                    progress: { bar.show(done: $0, total: $1) })
            }
            if purpose == .master { print("Re-wrapped \(moved) petition key(s) under master key \(key.kidHex)") }
        }
    }

    struct Rewrap: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-wrap petition keys still under an old master key (resumes an interrupted master rotation).")

        @OptionGroup var location: Location
        @OptionGroup var database: DatabaseOption
        @OptionGroup var audit: AuditOriginOption

        func run() async throws {
            let bar = ProgressBar(label: "re-wrapping petition keys")
            let (moved, master) = try await database.location().withStore { store in
                try await KeyRotation.complete(
                    file: location.file, log: try await audit.naming.log(over: store), rewrap: true, now: Date(),
                    progress: { bar.show(done: $0, total: $1) })
            }
            print("Re-wrapped \(moved) petition key(s) under master key \(master.kidHex)")
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
                    kid: id, file: location.file, log: try await audit.naming.log(over: store), now: Date())
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
            let changed = try await database.location().withStore { store in
                try await PetitionRekey.run(slug, keys: location.file, log: try await audit.naming.log(over: store), now: Date())
            }
            print("Re-keyed \(changed) pseudonym(s) of \(slug); a running server picks up the new layer on its next sign")
        }
    }
}

extension KeyPurpose: ExpressibleByArgument {}
