import CountersignCrypto
import Foundation

/// `countersign keys destroy KID`: erases a key's material once nothing can need it any more.
///
/// - a master key, once no petition key or re-keying layer is wrapped under it (after ``MasterRewrap``);
/// - a token key, once every token it signed has expired: the token lifetime, plus the minute a running server
///   may take to notice the rotation, after the key that replaced it became primary, and also on a UTC day at
///   least lifetime-in-days + 1 after the rotation day, the rule an auditor can check from day-dated entries;
/// - a log key, once it has been rotated (checkpoints are then signed by the new key alone).
public enum KeyDestruction {
    /// Why a key may not be destroyed yet, or `nil` if it may.
    public static func refusal(
        of key: KeyEntry, keyring: Keyring, store: any SignatureStore, tokenLifetime: Duration, now: Date
    ) async throws -> String? {
        guard key.status != .primary else { return "key \(key.kidHex) is the primary \(key.purpose.rawValue) key; rotate it first" }
        guard key.status != .destroyed else { return "key \(key.kidHex) is destroyed already" }
        switch key.purpose {
        case .master:
            let wrapping = try await store.petitions().filter { petition in
                ([petition.wrappedKey].compactMap { $0 } + petition.keyLayers).contains { $0.kid == key.kid }
            }
            guard wrapping.isEmpty else {
                return "\(wrapping.count) petition key(s) are still wrapped under master key \(key.kidHex) (first: \(wrapping[0].slug)); run `countersign keys rewrap` first"
            }
        case .token:
            // From the later of the keyring's rotation time and the day the log recorded it, which is what an
            // auditor counts from.
            let logged = try await store.auditEntries(0..<store.auditEntryCount()).compactMap(AuditEvent.init(text:))
                .last { $0.kind == .keyRotated && $0["previous"] == key.kidHex }?.date
            let replaced = max(keyring.successor(of: key)?.created ?? now, logged ?? .distantPast)
            let lifetime = TimeInterval(tokenLifetime.components.seconds)
            let lifetimeDays = Int((lifetime / 86_400).rounded(.up))
            let exact = replaced.addingTimeInterval(lifetime + serverPollMargin)
            let dayRule = Date(timeIntervalSince1970: (replaced.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400)
                .addingTimeInterval(TimeInterval(lifetimeDays + 1) * 86_400)
            let safe = max(exact, dayRule)
            guard now >= safe else {
                return "tokens signed by key \(key.kidHex) may be presented until \(safe.formatted(.iso8601)); destroy it after that"
            }
        case .log:
            break
        }
        return nil
    }

    /// Destroys, in the keyring file, every key the log says was destroyed but whose material this copy of the keyring
    /// still holds; returns them. Instances that keep a keyring copy each run this in `serve`'s key maintenance, so a
    /// destroy logged by one (a shred's old master keys, say) is carried out by all, and no copy keeps the material.
    @discardableResult
    public static func followLog(file: KeyringFile, keyring: Keyring, log: AuditLog) async throws -> [KeyEntry] {
        let entries = try await log.store.auditEntries(0..<log.store.auditEntryCount())
        let destroyed = Set(entries.compactMap(AuditEvent.init(text:)).filter { $0.kind == .keyDestroyed }.compactMap { $0["kid"] })
        let held = keyring.keys.filter { $0.material != nil && $0.status != .primary && destroyed.contains($0.kidHex) }
        return try held.map { key throws(KeyringError) in try file.update { keyring throws(KeyringError) in try keyring.destroy(kid: key.kid) } }
    }

    /// How long a running server may go on minting tokens under a rotated key before it re-reads the keyring.
    public static let serverPollMargin: TimeInterval = 120

    /// Destroys key `kid` in the keyring file and logs it, or throws the refusal.
    @discardableResult
    public static func destroy(
        kid: UInt32, file: KeyringFile, log: AuditLog, tokenLifetime: Duration = Token.defaultLifetime, now: Date
    ) async throws -> KeyEntry {
        let keyring = try file.load()
        guard let key = keyring.key(kid: kid) else {
            throw KeyringError.noKey(kid)
        }
        if let refusal = try await refusal(of: key, keyring: keyring, store: log.store, tokenLifetime: tokenLifetime, now: now) {
            throw KeyringError(.invalid, refusal)
        }
        let destroyed = try file.update { keyring throws(KeyringError) in try keyring.destroy(kid: kid) }
        try await KeyEvents.record(try file.load(), in: log, now: now)
        return destroyed
    }
}
