import ArgumentParser
import CountersignCrypto
import Foundation

struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Create, list and rotate the keys in the keyring.",
        subcommands: [Init.self, List.self, Rotate.self]
    )

    struct Location: ParsableArguments {
        @Option(name: .customLong("keys"), help: "The keyring folder.")
        var directory = "Keys/local"

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
        static let configuration = CommandConfiguration(abstract: "List keys with their fingerprints (never their material).")

        @OptionGroup var location: Location

        @Flag(help: "Print JSON instead of a table.")
        var json = false

        func run() throws {
            let listings = KeyListing.of(try location.file.load(), now: Date())
            print(json ? try KeyListing.json(listings) : KeyListing.table(listings))
        }
    }

    struct Rotate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a fresh primary key for a purpose; the old primary becomes verify-only.")

        @OptionGroup var location: Location

        @Option(help: "The purpose to rotate: master, token or log.")
        var purpose: KeyPurpose

        func run() throws {
            let key = try location.file.update { keyring throws(KeyringError) in
                try keyring.rotate(purpose, now: Date())
            }
            print("New primary \(purpose.rawValue) key \(key.kidHex), fingerprint \(key.fingerprint)")
        }
    }
}

extension KeyPurpose: ExpressibleByArgument {}
