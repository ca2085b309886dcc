import CountersignCrypto
import Foundation

/// Brings the audit log up to date with the keyring: every key the log has not seen gets its `key-created` or
/// `key-rotated` entry, and every destroyed key its `key-destroyed` entry.
///
/// `serve` runs this at start and every command that changes the keyring runs it afterwards, so a rotation made
/// while the database was out of reach is still logged (dated when it is logged). A log-key rotation carries the
/// new verifier key and the signatures of both the old and the new key over
/// ``AuditEvent/logRotationStatement(origin:index:old:new:)``, so an auditor holding the old verifier key can follow it.
public enum KeyEvents {
    /// Appends the missing key events, in one store transaction so that instances starting together log them
    /// once; returns them.
    @discardableResult
    public static func record(_ keyring: Keyring, in log: AuditLog, now: Date) async throws -> [AuditEvent] {
        let origin = log.origin
        let appended = try await log.store.appendAuditEntries { existing, _ in
            try missing(
                from: existing.compactMap(AuditEvent.init(text:)), firstIndex: existing.count, keyring: keyring, origin: origin,
                now: AuditEvent.date(now, after: existing)
            ).map(\.text)
        }
        return appended.compactMap(AuditEvent.init(text:))
    }

    /// The key events that `logged` lacks for `keyring`, in keyring order per purpose, to be appended from entry
    /// index `firstIndex` on.
    static func missing(from logged: [AuditEvent], firstIndex: Int, keyring: Keyring, origin: String, now: Date) throws -> [AuditEvent] {
        var introduced = Set(logged.filter { $0.kind == .keyCreated || $0.kind == .keyRotated }.compactMap { $0["kid"] })
        var destroyed = Set(logged.filter { $0.kind == .keyDestroyed }.compactMap { $0["kid"] })
        var events: [AuditEvent] = []
        for purpose in KeyPurpose.allCases {
            let keys = keyring.keys(purpose)
            for (index, key) in keys.enumerated() where !introduced.contains(key.kidHex) {
                events.append(
                    try introduction(
                        of: key, previous: index > 0 ? keys[index - 1] : nil, origin: origin, at: firstIndex + events.count, now: now))
                introduced.insert(key.kidHex)
            }
            for key in keys where key.status == .destroyed && !destroyed.contains(key.kidHex) {
                events.append(AuditEvent.keyDestroyed(key, date: now))
                destroyed.insert(key.kidHex)
            }
        }
        return events
    }

    /// The verifier key (`NAME+KEYID+BASE64`) of a log key with material.
    public static func verifier(of key: KeyEntry, origin: String) throws -> String? {
        guard key.purpose == .log, let seed = key.material else { return nil }
        return try SignedNote.Verifier(name: origin, publicKey: Ed25519PrivateKey(seed: seed).publicKey).encoded
    }

    private static func introduction(of key: KeyEntry, previous: KeyEntry?, origin: String, at index: Int, now: Date) throws -> AuditEvent {
        let verifier = try verifier(of: key, origin: origin)
        var endorsement: (old: [UInt8], new: [UInt8])?
        if let verifier, let previous, let oldVerifier = try self.verifier(of: previous, origin: origin),
            let oldSeed = previous.material, let newSeed = key.material
        {
            let statement = AuditEvent.logRotationStatement(origin: origin, index: index, old: oldVerifier, new: verifier)
            endorsement = (try Ed25519PrivateKey(seed: oldSeed).signature(for: statement), try Ed25519PrivateKey(seed: newSeed).signature(for: statement))
        }
        return AuditEvent.key(key, previous: previous, verifier: verifier, endorsement: endorsement, date: now)
    }
}
