import CountersignCrypto
import Foundation

/// Key rotation as one use-case, shared by `countersign keys rotate|rewrap` and serve's key maintenance: a fresh
/// primary key, its events in the audit log, and for a master key the re-wrap of every petition key under it.
public enum KeyRotation {
    /// `countersign keys rotate`: makes a fresh primary key for `purpose` (the old one becomes verify-only), then
    /// ``complete(_:log:rewrap:now:progress:)``. Returns the new key and, for a master key, how many petitions moved.
    public static func rotate(
        _ purpose: KeyPurpose, file: KeyringFile, log: AuditLog, now: Date, progress: MasterRewrap.Progress = { _, _ in }
    ) async throws -> (key: KeyEntry, rewrapped: Int) {
        let key = try file.update { keyring throws(KeyringError) in try keyring.rotate(purpose, now: now) }
        let rewrapped = try await complete(try file.load(), log: log, rewrap: purpose == .master, now: now, progress: progress)
        return (key, rewrapped)
    }

    /// `countersign keys rewrap`: ``complete(_:log:rewrap:now:progress:)`` with re-wrap for the keyring in `file`,
    /// which finishes an interrupted master rotation. Returns how many petitions moved, and the primary master key.
    public static func rewrap(
        file: KeyringFile, log: AuditLog, now: Date, progress: MasterRewrap.Progress = { _, _ in }
    ) async throws -> (rewrapped: Int, master: KeyEntry) {
        let keyring = try file.load()
        return (try await complete(keyring, log: log, rewrap: true, now: now, progress: progress), try keyring.primary(.master))
    }

    /// Rotates every primary key whose cryptoperiod has ended, each checked again under the keyring's lock so that a
    /// rotation by the CLI or another instance is not doubled; the file is written only when a key is due. Returns the
    /// new keys.
    public static func rotateDue(file: KeyringFile, now: Date) throws -> [KeyEntry] {
        let keyring = try file.load()
        return try KeyPurpose.allCases.filter { (try? keyring.primary($0).notAfter <= now) == true }.compactMap { purpose in
            try file.update { keyring throws(KeyringError) -> KeyEntry? in
                guard try keyring.primary(purpose).notAfter <= now else { return nil }
                return try keyring.rotate(purpose, now: now)
            }
        }
    }

    /// Logs the key events of `keyring` that the log lacks, then, with `rewrap`, re-wraps every petition key still
    /// under an older master key (``MasterRewrap``). Safe to run again after an interruption. Returns how many
    /// petitions moved.
    @discardableResult
    public static func complete(
        _ keyring: Keyring, log: AuditLog, rewrap: Bool, now: Date, progress: MasterRewrap.Progress = { _, _ in }
    ) async throws -> Int {
        try await KeyEvents.record(keyring, in: log, now: now)
        guard rewrap else { return 0 }
        return try await MasterRewrap.run(keyring: keyring, log: log, now: now, progress: progress)
    }
}
