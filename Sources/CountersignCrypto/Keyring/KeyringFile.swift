import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The keyring on disk: `DIRECTORY/keyring.json`, outside the database.
///
/// Loading refuses a file or folder that the group or others can read, as ssh does with private keys.
/// Writes go to a temporary file that is fsynced and renamed over the old one, so a crash leaves either the
/// old keyring or the new one, never half of one. Read-modify-write changes hold an exclusive `flock` on
/// `DIRECTORY/keyring.lock`, so a CLI rotation and a running server never lose each other's change.
public struct KeyringFile: Sendable {
    public static let fileName = "keyring.json"
    private static let lockName = "keyring.lock"

    /// The folder holding the keyring, such as `Keys/local`.
    public let directory: String

    public init(directory: String) {
        self.directory = directory
    }

    /// The path of the keyring file.
    public var path: String { directory + "/" + Self.fileName }

    /// Whether a keyring file exists (it may still be refused by ``load()``).
    public var exists: Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    /// What identifies one version of the file: a write replaces it (a new inode) and changes its times.
    public struct Stamp: Sendable, Equatable {
        let inode: UInt64
        let size: Int64
        let modified: Int64
        let modifiedNanoseconds: Int
    }

    /// The current file's ``Stamp``, or `nil` if it cannot be read; cheap enough to ask every minute, so that the
    /// keyring (and its key material) is only read again when it changed.
    public func stamp() -> Stamp? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Stamp(
            inode: UInt64(info.st_ino), size: Int64(info.st_size), modified: Int64(info.st_mtim.tv_sec),
            modifiedNanoseconds: Int(info.st_mtim.tv_nsec))
    }

    /// Reads and checks the keyring. The bytes read are wiped once decoded; the decoder's own strings are not (see
    /// `Docs/crypto.md`), which is why a running server reads the file only when its ``stamp()`` changes.
    public func load() throws(KeyringError) -> Keyring {
        try checkPermissions()
        var data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw KeyringError(.io, "cannot read \(path): \(error.localizedDescription)")
        }
        defer { SecretBytes.wipe(&data) }
        do {
            return try JSONDecoder().decode(Keyring.self, from: data)
        } catch let error as KeyringError {
            throw KeyringError(error.code, "\(path): \(error.reason)")
        } catch {
            throw KeyringError(.malformed, "\(path) is not a keyring (\(error)); restore it from backup")
        }
    }

    /// Creates a new keyring with one primary key per purpose; refuses to replace an existing one.
    @discardableResult
    public func initialize(now: Date, policy: KeyPolicy = .default) throws(KeyringError) -> Keyring {
        try withLock { () throws(KeyringError) -> Keyring in
            guard !exists else {
                throw KeyringError(.alreadyExists, "\(path) already exists; use `countersign keys rotate` to add keys")
            }
            let keyring = try Keyring.generate(now: now, policy: policy)
            try write(keyring)
            return keyring
        }
    }

    /// Loads the keyring if there is one, or creates it: the development default on first run.
    public func loadOrInitialize(now: Date, policy: KeyPolicy = .default) throws(KeyringError) -> Keyring {
        try withLock { () throws(KeyringError) -> Keyring in
            if exists { return try load() }
            let keyring = try Keyring.generate(now: now, policy: policy)
            try write(keyring)
            return keyring
        }
    }

    /// Applies `change` to the current keyring under the lock and saves the result atomically.
    public func update<T>(_ change: (inout Keyring) throws(KeyringError) -> T) throws(KeyringError) -> T {
        try withLock { () throws(KeyringError) -> T in
            var keyring = try load()
            let result = try change(&keyring)
            try write(keyring)
            return result
        }
    }

    // MARK: - Permissions

    private func checkPermissions() throws(KeyringError) {
        var folder = stat()
        guard stat(directory, &folder) == 0 else {
            throw KeyringError(.missing, "no keyring folder at \(directory); run `countersign keys init --keys \(directory)`")
        }
        guard folder.st_mode & 0o077 == 0 else {
            throw KeyringError(.insecurePermissions, String(
                format: "keyring folder %@ has mode %04o: the group or others can reach it. Run `chmod 700 %@`",
                directory, folder.st_mode & 0o7777, directory))
        }
        var file = stat()
        guard stat(path, &file) == 0 else {
            throw KeyringError(.missing, "no keyring at \(path); run `countersign keys init --keys \(directory)`")
        }
        guard file.st_uid == geteuid() else {
            throw KeyringError(.wrongOwner, "\(path) is owned by uid \(file.st_uid), not by this user (uid \(geteuid())); run `chown \(geteuid()) \(path)`")
        }
        guard file.st_mode & 0o077 == 0 else {
            throw KeyringError(.insecurePermissions, String(
                format: "keyring %@ has mode %04o: the group or others can read it. Run `chmod 600 %@`, then rotate every key it holds",
                path, file.st_mode & 0o7777, path))
        }
    }

    // MARK: - Atomic write and lock

    private func write(_ keyring: Keyring) throws(KeyringError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data: Data
        do {
            data = try encoder.encode(keyring)
        } catch {
            throw KeyringError(.malformed, "cannot encode the keyring: \(error)")
        }
        let temporary = "\(path).tmp-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else { throw Self.ioError("create", temporary) }
        guard DurableWrite.all(data, to: descriptor) else {
            let error = Self.ioError("write", temporary)
            close(descriptor)
            unlink(temporary)
            throw error
        }
        close(descriptor)
        guard rename(temporary, path) == 0 else {
            let error = Self.ioError("rename into place", path)
            unlink(temporary)
            throw error
        }
        // The rename is durable only once the folder's entry is on disk.
        let folder = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folder >= 0 {
            fsync(folder)
            close(folder)
        }
    }

    private func withLock<T>(_ body: () throws(KeyringError) -> T) throws(KeyringError) -> T {
        try createDirectory()
        let lockPath = directory + "/" + Self.lockName
        let descriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else { throw Self.ioError("open the lock", lockPath) }
        defer { close(descriptor) }
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else { throw Self.ioError("lock", lockPath) }
        }
        defer { flock(descriptor, LOCK_UN) }
        return try body()
    }

    /// Creates the keyring folder with mode 0700 (and any missing parents) if it is not there.
    private func createDirectory() throws(KeyringError) {
        var info = stat()
        if stat(directory, &info) == 0 { return }
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw KeyringError(.io, "cannot create the keyring folder \(directory): \(error.localizedDescription)")
        }
    }

    private static func ioError(_ action: String, _ path: String) -> KeyringError {
        KeyringError(.io, "cannot \(action) \(path): \(String(cString: strerror(errno)))")
    }
}
