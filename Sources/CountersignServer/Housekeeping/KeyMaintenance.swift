import CountersignCore
import CountersignCrypto
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Keeps the running server's keys current, on a timer:
/// - logs petition changes whose command died before logging them (``PetitionEvents``);
/// - picks up keyring changes made with `countersign keys …` while the server runs (new tokens are minted under
///   the new primary token key, destroyed keys stop verifying, checkpoints get the new log signature), and logs
///   any key event still missing from the audit log;
/// - when ``rotateExpired`` is on, rotates every primary key whose cryptoperiod has ended, and finishes any
///   re-wrap of petition keys still under an old master key;
/// - destroys the master keys that a `petition shred --defer-destroy` left (``PetitionShredding/destroyOutstanding(file:log:now:)``).
struct KeyMaintenance: Service {
    let file: KeyringFile
    let service: SigningService
    let log: AuditLog
    let rotateExpired: Bool
    let interval: Duration
    let logger: Logger
    /// The keyring file's stamp when it was last read: the file (and its key material) is read only when it changed.
    private let lastRead = LastRead()

    private final class LastRead: Sendable {
        let stamp = Mutex<KeyringFile.Stamp?>(nil)
    }

    init(file: KeyringFile, service: SigningService, log: AuditLog, rotateExpired: Bool, interval: Duration, logger: Logger) {
        self.file = file
        self.service = service
        self.log = log
        self.rotateExpired = rotateExpired
        self.interval = interval
        self.logger = logger
    }

    func run() async throws {
        // Keyring and store errors say what to fix and hold no key material or signer data.
        await repeatUntilShutdown(every: interval, logger: logger, failure: "key maintenance failed", describe: { "\($0)" }) {
            try await tick(now: Date())
        }
    }

    /// One round: rotate what is due (if enabled), adopt the keyring file, then catch the audit log up. The keyring
    /// is adopted before the store steps, so a rotation or a destroy takes effect even when the database is down;
    /// each store step fails on its own and is logged.
    func tick(now: Date) async throws {
        // The keyring in use says whether anything is due; the file is read only then (another instance may have rotated).
        if rotateExpired, KeyPurpose.allCases.contains(where: { (try? service.keyring.primary($0).notAfter <= now) == true }) {
            try KeyRotation.rotateDue(file: file, now: now) { key in
                logger.notice("rotated a key at the end of its cryptoperiod", metadata: ["purpose": "\(key.purpose.rawValue)", "kid": "\(key.kidHex)"])
            }
        }
        let stamp = file.stamp()
        if stamp == nil || stamp != lastRead.stamp.withLock({ $0 }) {
            let keyring = try file.load()
            lastRead.stamp.withLock { $0 = stamp }
            if keyring != service.keyring {
                try service.useKeyring(keyring)
                logger.info("adopted the changed keyring")
            }
        }
        let keyring = service.keyring
        // Every round, not only after a rotation, so that logging or a re-wrap that failed or was interrupted is finished;
        // the two steps run independently (``KeyRotation/complete(_:log:rewrap:now:progress:)``).
        await step("logging key events and re-wrapping petition keys") {
            let moved = try await KeyRotation.complete(keyring, log: log, rewrap: rotateExpired, now: now)
            if moved > 0 { logger.notice("re-wrapped petition keys under the primary master key", metadata: ["count": "\(moved)"]) }
        }
        await step("logging petition events") { try await PetitionEvents.record(in: log.store, now: now) }
        await step("destroying the keys the log says were destroyed") {
            for key in try await KeyDestruction.followLog(file: file, keyring: keyring, log: log) {
                logger.notice("destroyed this keyring's copy of a key the log records as destroyed", metadata: ["kid": "\(key.kidHex)"])
            }
        }
        // A shred run with --defer-destroy left its old master keys: destroy them once this instance has used the new
        // primary master for longer than any instance takes to re-read the keyring.
        if let master = try? keyring.primary(.master), master.created.addingTimeInterval(KeyDestruction.serverPollMargin) <= now {
            await step("destroying the master keys a shred left") {
                for key in try await PetitionShredding.destroyOutstanding(file: file, log: log, now: now) {
                    logger.notice("destroyed a master key a shred left for later", metadata: ["kid": "\(key.kidHex)"])
                }
            }
        }
    }

    private func step(_ name: String, _ body: () async throws -> Void) async {
        do {
            try await body()
        } catch {
            logger.warning("key maintenance: \(name) failed", metadata: ["error": "\(error)"])
        }
    }
}
