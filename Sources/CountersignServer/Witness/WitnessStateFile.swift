import CountersignCore
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Where a witness keeps its ``WitnessState``: `KEYFILE.state.json` beside its key, mode 0600, replaced atomically
/// before each cosignature is answered, so that a restart forgets no cosigned size. While a witness runs it holds an
/// exclusive lock on `KEYFILE.state.lock`: two witnesses sharing one state could each check an old size before the
/// other's write, and cosign a rollback.
public final class WitnessStateFile: Sendable {
    public let path: String
    private let lock: Int32

    /// Takes the lock beside the state of the key at `keyPath`; refuses if another witness holds it.
    public init(keyPath: String) throws {
        path = keyPath + ".state.json"
        let lockPath = keyPath + ".state.lock"
        let descriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else { throw ServerError("cannot open \(lockPath): \(String(cString: strerror(errno)))") }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw ServerError("another `countersign witness serve` is running with the key \(keyPath) (it holds \(lockPath)); stop it first")
        }
        lock = descriptor
    }

    deinit { close(lock) }

    /// The stored state, or an empty one before the first cosignature.
    public func load() throws -> WitnessState {
        guard FileManager.default.fileExists(atPath: path) else { return WitnessState() }
        try PrivateFile.checkPermissions(path, what: "the witness state")
        do {
            return try JSONDecoder().decode(WitnessState.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw ServerError("the witness state \(path) cannot be read (\(error)); restore it from backup: without it the witness would cosign a rollback")
        }
    }

    /// Replaces the stored state.
    public func save(_ state: WitnessState) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try PrivateFile.write(try encoder.encode(state), to: path)
    }
}
