import CountersignCore
import CountersignCrypto
import Foundation
import Logging
import ServiceLifecycle

/// Keeps the running server's keys current, on a timer:
/// - logs petition changes whose command died before logging them (``PetitionEvents``);
/// - picks up keyring changes made with `countersign keys …` while the server runs (new tokens are minted under
///   the new primary token key, destroyed keys stop verifying, checkpoints get the new log signature), and logs
///   any key event still missing from the audit log;
/// - when ``rotateExpired`` is on, rotates every primary key whose cryptoperiod has ended, and after a master
///   rotation re-wraps the petition keys.
struct KeyMaintenance: Service {
    let file: KeyringFile
    let service: SigningService
    let log: AuditLog
    let rotateExpired: Bool
    let interval: Duration
    let logger: Logger

    func run() async throws {
        // Keyring and store errors say what to fix and hold no key material or signer data.
        await repeatUntilShutdown(every: interval, logger: logger, failure: "key maintenance failed", describe: { "\($0)" }) {
            try await tick(now: Date())
        }
    }

    /// One round: rotate what is due (if enabled), then adopt the keyring file and log its events.
    func tick(now: Date) async throws {
        var keyring = try file.load()
        if rotateExpired {
            for purpose in KeyPurpose.allCases {
                // Checked again under the keyring's lock, so a rotation by the CLI or another instance is not doubled.
                let key = try file.update { keyring throws(KeyringError) -> KeyEntry? in
                    guard try keyring.primary(purpose).notAfter <= now else { return nil }
                    return try keyring.rotate(purpose, now: now)
                }
                if let key {
                    logger.notice("rotated a key at the end of its cryptoperiod", metadata: ["purpose": "\(purpose.rawValue)", "kid": "\(key.kidHex)"])
                }
            }
            keyring = try file.load()
            try await KeyEvents.record(keyring, in: log, now: now)
            // Every round, not only after a rotation, so a re-wrap that failed or was interrupted is finished.
            let moved = try await MasterRewrap.run(keyring: keyring, log: log, now: now)
            if moved > 0 { logger.notice("re-wrapped petition keys under the primary master key", metadata: ["count": "\(moved)"]) }
        }
        try await PetitionEvents.record(in: log.store, now: now)
        guard keyring != service.keyring else { return }
        try service.useKeyring(keyring)
        try await KeyEvents.record(keyring, in: log, now: now)
        logger.info("adopted the changed keyring")
    }
}
