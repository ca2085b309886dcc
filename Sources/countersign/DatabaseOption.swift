import ArgumentParser
import CountersignStorage
import Foundation

/// `--database`, shared by the commands that open the store; `COUNTERSIGN_DATABASE` as for `serve`.
struct DatabaseOption: ParsableArguments {
    @Option(help: "sqlite:PATH or postgres://user:password@host:port/database (default \(DatabaseLocation.defaultValue)).")
    var database = ProcessInfo.processInfo.environment["COUNTERSIGN_DATABASE"] ?? DatabaseLocation.defaultValue

    func location() throws -> DatabaseLocation {
        try DatabaseLocation(database)
    }
}
