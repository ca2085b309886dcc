import ArgumentParser
import CountersignCore
import CountersignCrypto
import CountersignStorage
import Foundation

struct PetitionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "petition",
        abstract: "List petitions and change their state; a running server sees the change at once.",
        subcommands: [List.self, Provision.self, Pause.self, Resume.self, Close.self, Shred.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List petitions with their state and count.")
        @OptionGroup var database: DatabaseOption

        func run() async throws {
            let lines = try await database.location().withStore { store in
                try await store.petitionTotals().map { listed in
                    "\(listed.petition.slug)\t\(listed.petition.state.rawValue)\t\(listed.total)\t\(listed.petition.title)"
                }
            }
            print(lines.joined(separator: "\n"))
        }
    }

    struct Pause: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pause", abstract: "Stop collecting signatures (the kill switch); withdrawals still work.")
        @OptionGroup var database: DatabaseOption
        @Argument(help: "The petition's slug.") var slug: String
        func run() async throws { try await set(.paused, slug, database) }
    }

    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "resume", abstract: "Collect signatures again after a pause.")
        @OptionGroup var database: DatabaseOption
        @Argument(help: "The petition's slug.") var slug: String
        func run() async throws { try await set(.open, slug, database) }
    }

    struct Close: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "close", abstract: "Close the petition for good; its count is final.")
        @OptionGroup var database: DatabaseOption
        @Argument(help: "The petition's slug.") var slug: String
        func run() async throws { try await set(.closed, slug, database) }
    }
}

extension PetitionCommand {
    struct Provision: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "provision",
            abstract: "Create the petitions of a folder's *.petition files that the store lacks, as serve does at start.")
        @OptionGroup var database: DatabaseOption
        @OptionGroup var keys: KeysCommand.Location

        @Option(help: "The folder of *.petition files.")
        var petitions = "seeds"

        func run() async throws {
            let (created, total) = try await database.location().withStore { [petitions] store in
                try await PetitionProvisioning.provision(directory: petitions, keys: keys.file, into: store, now: Date())
            }
            print("Created \(created.count) of \(total) petition(s)")
        }
    }

    struct Shred: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "shred",
            abstract: "Destroy a closed petition's key and every pseudonym after the retention period; the counts stay.",
            discussion: """
                Then rotates the master key, re-wraps every other petition under the new one and destroys every master \
                key that could have wrapped the shredded key, so that no backup can open it again. Every step is logged.
                """)
        @OptionGroup var database: DatabaseOption
        @OptionGroup var keys: KeysCommand.Location
        @OptionGroup var audit: AuditOriginOption
        @Argument(help: "The petition's slug.") var slug: String

        @Option(help: "Days to keep pseudonyms after close, for recounts and disputes.")
        var retentionDays = Int(PetitionShredding.defaultRetention / 86_400)

        @Flag(help: "Leave the destroy of the old master keys to serve's key maintenance, once other instances have the new keyring.")
        var deferDestroy = false

        func run() async throws {
            let slug = try PetitionSlug(slug)
            guard retentionDays >= 0 else { throw ValidationError("--retention-days cannot be negative") }
            let outcome = try await database.location().withStore { [keys, deferDestroy] store in
                try await PetitionShredding.run(
                    slug, retention: TimeInterval(retentionDays) * 86_400, keys: keys.file, log: try await audit.naming.log(over: store),
                    deferDestroy: deferDestroy, now: Date())
            }
            print("\(slug): key and pseudonyms destroyed; the aggregates remain")
            print("master key \(outcome.master.kidHex) is primary; \(outcome.rewrapped) other petition(s) re-wrapped under it")
            for key in outcome.destroyed { print("destroyed master key \(key.kidHex)") }
            if !outcome.deferred.isEmpty {
                print("left for serve to destroy, once every instance has the new keyring: master key(s) \(outcome.deferred.joined(separator: ", "))")
            }
        }
    }
}

/// `pause`, `resume` and `close` differ only in the state they set.
private func set(_ state: PetitionState, _ slug: String, _ database: DatabaseOption) async throws {
    let slug = try PetitionSlug(slug)
    try await database.location().withStore { store in try await PetitionStateChange.run(state, of: slug, store: store, now: Date()) }
    print("\(slug) is now \(state.rawValue)")
}
