import CountersignCrypto
import Foundation

/// Key rotation, shared by `countersign keys rotate|rewrap` and serve's key maintenance: a fresh primary key in the
/// keyring file, then (``complete(_:log:rewrap:now:progress:)``) its events in the audit log and, after a master
/// rotation, the re-wrap of every petition key under the new master.
///
/// The two halves are separate on purpose: the keyring changes without the database, so an emergency rotation works
/// while the database is down, and whatever the second half could not do is done by the next `keys rewrap` or by
/// serve's key maintenance, which runs it every minute.
public enum KeyRotation {
    /// Makes a fresh primary key for `purpose`; the old primary becomes verify-only.
    public static func rotate(_ purpose: KeyPurpose, file: KeyringFile, now: Date) throws(KeyringError) -> KeyEntry {
        try file.update { keyring throws(KeyringError) in try keyring.rotate(purpose, now: now) }
    }

    /// Rotates every primary key whose cryptoperiod has ended, each checked again under the keyring's lock so that a
    /// rotation by the CLI or another instance is not doubled; the file is written only when a key is due. Calls
    /// `rotated` for each new key as it is made.
    public static func rotateDue(file: KeyringFile, now: Date, rotated: (KeyEntry) -> Void) throws {
        let keyring = try file.load()
        for purpose in KeyPurpose.allCases where (try? keyring.primary(purpose).notAfter <= now) == true {
            let key = try file.update { keyring throws(KeyringError) -> KeyEntry? in
                guard try keyring.primary(purpose).notAfter <= now else { return nil }
                return try keyring.rotate(purpose, now: now)
            }
            if let key { rotated(key) }
        }
    }

    /// Logs the key events of `keyring` that the log lacks, and, with `rewrap`, re-wraps every petition key still under
    /// an older master key (``MasterRewrap``). The two steps run independently: a failure of one does not stop the
    /// other, and the first failure is thrown after both ran. Safe to run again. Returns how many petitions moved.
    @discardableResult
    public static func complete(
        _ keyring: Keyring, log: AuditLog, rewrap: Bool, now: Date, progress: MasterRewrap.Progress = { _, _ in }
    ) async throws -> Int {
        var failure: (any Error)?
        do {
            try await KeyEvents.record(keyring, in: log, now: now)
        } catch {
            failure = error
        }
        var moved = 0
        if rewrap {
            do {
                moved = try await MasterRewrap.run(keyring: keyring, log: log, now: now, progress: progress)
            } catch {
                failure = failure ?? error
            }
        }
        if let failure { throw failure }
        return moved
    }

    /// ``complete(_:log:rewrap:now:progress:)`` for the keyring in `file` (`keys rotate` after the keyring changed, and
    /// `keys rewrap`, which finishes an interrupted master rotation). Returns how many petitions moved, and the primary
    /// master key.
    public static func complete(
        file: KeyringFile, log: AuditLog, rewrap: Bool, now: Date, progress: MasterRewrap.Progress = { _, _ in }
    ) async throws -> (rewrapped: Int, master: KeyEntry) {
        let keyring = try file.load()
        return (try await complete(keyring, log: log, rewrap: rewrap, now: now, progress: progress), try keyring.primary(.master))
    }
}
