import Foundation
import CountersignCrypto

#if canImport(Glibc)
import Glibc
#endif

/// A file only its owner may read: a witness's key and its state. Written whole or not at all (a temporary file of mode
/// 0600, fsynced, renamed into place, the folder fsynced, as `KeyringFile` does), and refused when the group or others
/// can read it or another user owns it, as ssh refuses a key.
enum PrivateFile {
    /// Refuses a file that is not the current user's, or that the group or others can reach; `what` names it in the
    /// message.
    static func checkPermissions(_ path: String, what: String) throws {
        let attributes: [FileAttributeKey: Any]
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: path)
        } catch {
            throw ServerError("cannot read \(what) \(path): it does not exist or cannot be reached")
        }
        let owner = (attributes[.ownerAccountID] as? NSNumber)?.uint32Value
        guard owner == geteuid() else {
            throw ServerError("\(what) \(path) is owned by uid \(owner.map(String.init) ?? "?"), not by this user (uid \(geteuid())); run `chown \(geteuid()) \(path)`")
        }
        let mode = (attributes[.posixPermissions] as? Int) ?? 0o777
        guard mode & 0o077 == 0 else {
            throw ServerError(String(format: "%@ %@ has mode %04o: the group or others can read it. Run `chmod 600 %@`", what, path, mode, path))
        }
    }

    /// Writes `data` to `path` atomically with mode 0600; with `exclusive`, refuses to replace an existing file.
    static func write(_ data: Data, to path: String, exclusive: Bool = false) throws {
        if exclusive {
            let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
            guard descriptor >= 0 else {
                throw ServerError(errno == EEXIST ? "\(path) already exists; it is not replaced" : "cannot create \(path): \(String(cString: strerror(errno)))")
            }
            try finish(descriptor, data, path)
        } else {
            let temporary = "\(path).tmp-\(getpid())"
            let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o600)
            guard descriptor >= 0 else { throw ServerError("cannot create \(temporary): \(String(cString: strerror(errno)))") }
            do {
                try finish(descriptor, data, temporary)
            } catch {
                unlink(temporary)
                throw error
            }
            guard rename(temporary, path) == 0 else {
                let reason = String(cString: strerror(errno))
                unlink(temporary)
                throw ServerError("cannot rename \(temporary) to \(path): \(reason)")
            }
        }
        // The new entry is durable only once the folder is on disk.
        let folder = open((path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folder >= 0 {
            fsync(folder)
            close(folder)
        }
    }

    private static func finish(_ descriptor: Int32, _ data: Data, _ path: String) throws {
        defer { close(descriptor) }
        guard DurableWrite.all(data, to: descriptor) else { throw ServerError("cannot write \(path): \(String(cString: strerror(errno)))") }
    }
}
