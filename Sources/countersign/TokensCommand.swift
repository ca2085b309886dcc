import ArgumentParser
import CountersignCore
import CountersignStorage
import Foundation

struct TokensCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokens",
        abstract: "Create, list and revoke bearer tokens for organizers and auditors; the store keeps their hashes only.",
        subcommands: [Create.self, List.self, Revoke.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a token and print it once; it cannot be shown again.")
        @OptionGroup var database: DatabaseOption

        @Option(help: "organizer (exports and the dashboard) or auditor (/metrics).")
        var role: AccessRole

        @Option(help: "Limit an organizer token to one petition (default: every petition).")
        var petition: String?

        func run() async throws {
            let slug = try petition.map { try PetitionSlug($0) }
            let (text, token) = try await database.location().withStore { [role] store in
                try await AccessTokenIssuance.run(role: role, petition: slug, store: store, now: Date())
            }
            print(text)
            FileHandle.standardError.write(Data("token \(token.id) (\(role.rawValue)\(slug.map { ", \($0)" } ?? "")): keep it secret; revoke it with `countersign tokens revoke \(token.id)`\n".utf8))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tokens by id, role, petition and state (never the token).")
        @OptionGroup var database: DatabaseOption

        func run() async throws {
            let tokens = try await database.location().withStore { store in try await store.accessTokens() }
            for token in tokens {
                let state = token.revokedAt.map { "revoked \(UTCDay.of($0))" } ?? "active"
                print("\(token.id)\t\(token.role.rawValue)\t\(token.petition?.value ?? "*")\tcreated \(UTCDay.of(token.createdAt))\t\(state)")
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token at once; a running server refuses it on the next request.")
        @OptionGroup var database: DatabaseOption
        @Argument(help: "The token id (16 hex digits) that `tokens create` and `tokens list` print.") var id: String

        func run() async throws {
            let found = try await database.location().withStore { store in try await store.revokeAccessToken(id: id, at: Date()) }
            guard found else { throw ValidationError("no token has the id \(id); see `countersign tokens list`") }
            print("Revoked \(id)")
        }
    }
}

extension AccessRole: ExpressibleByArgument {}
