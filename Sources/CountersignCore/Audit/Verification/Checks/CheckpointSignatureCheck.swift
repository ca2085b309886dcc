import CountersignCrypto
import Foundation

/// `checkpoint-signature`, by the C2SP signed-note rules: a line by a known key must verify, lines by unknown keys (a
/// witness's cosignature) are ignored, and a valid line must come from the log key that counts. The keys linked to
/// the auditor's key by log-key rotations that both keys signed form a chain; once the log holds such a rotation, only
/// the newest key of the chain counts. A rotated-out key, destroyed or not, cannot make a checkpoint pass: otherwise
/// whoever kept it (a keyring backup) could extend the log past the rotation on their own. A log key the log says was
/// destroyed never counts.
struct CheckpointSignatureCheck: AuditCheck {
    let name = "checkpoint-signature"
    /// The log key the auditor trusts, obtained out of band (`GET /audit/key`).
    let trusted: SignedNote.Verifier

    func check(_ evidence: AuditEvidence) -> AuditReport.Check {
        guard let note = evidence.note else { return fail("there is no signed note to check") }
        let keys = evidence.keys
        let events = evidence.events
        var problems: [String] = []
        var known = [trusted]
        var links: [(old: SignedNote.Verifier, new: SignedNote.Verifier, entry: Int)] = []
        // A log has one chain of log keys: one `key-created`, then each `key-rotated` replacing the key before it, and
        // never one public key twice. A second chain, grafted on by whoever kept a rotated-out key, would otherwise
        // make that key trusted again and name a newest key of its own.
        let logKeys = keys.keys.enumerated().filter { $0.element.purpose == KeyPurpose.log.rawValue }
        var verifiers: [SignedNote.Verifier] = []
        for (position, (_, key)) in logKeys.enumerated() {
            let follows = position == 0
                ? events[key.introduced]?.kind == .keyCreated
                : events[key.introduced]?.kind == .keyRotated && key.replaces == logKeys[position - 1].offset
            if !follows {
                problems.append("entry \(key.introduced) introduces log key \(key.kid) outside the log's one chain of log keys")
            }
            guard let encoded = key.verifier, let verifier = try? SignedNote.Verifier(encoded: encoded) else {
                problems.append("entry \(key.introduced) gives log key \(key.kid) no readable verifier key")
                continue
            }
            if verifiers.contains(where: { $0.publicKey == verifier.publicKey }) {
                problems.append("entry \(key.introduced) introduces a public key the log introduced before, as log key \(key.kid)")
            }
            verifiers.append(verifier)
            if !known.contains(verifier) { known.append(verifier) }
            guard events[key.introduced]?.kind == .keyRotated else { continue }
            switch endorsement(of: key, keys: keys, events: events) {
            case .valid(let old, let new): links.append((old, new, key.introduced))
            case .invalid(let reason): problems.append("entry \(key.introduced): \(reason); not followed")
            }
        }
        var trustedKeys = [trusted]
        var grew = true
        while grew {
            grew = false
            for link in links where trustedKeys.contains(link.old) != trustedKeys.contains(link.new) {
                trustedKeys.append(trustedKeys.contains(link.old) ? link.new : link.old)
                grew = true
            }
        }
        // The last rotation of the chain names the one key that counts; `links` are in entry order.
        let newest = links.last(where: { trustedKeys.contains($0.old) })
        // A log key the log says was destroyed (perhaps because it leaked) no longer vouches for a checkpoint.
        let destroyedKids = Set(events.compactMap { event in
            event?.kind == .keyDestroyed && event?["purpose"] == KeyPurpose.log.rawValue ? event?["kid"] : nil
        })
        let destroyed = keys.keys.filter { $0.purpose == KeyPurpose.log.rawValue && destroyedKids.contains($0.kid) }
            .compactMap { $0.verifier.flatMap { try? SignedNote.Verifier(encoded: $0) } }
        let body = Array(note.text.utf8)
        var signedByTrustedKey = false
        var found: [String] = []
        for line in note.signatures {
            let id = "\(line.name)+\(Hex.encode(line.keyID))"
            // Four-byte key ids can collide, so a line is valid if any known key with its name and id verifies it.
            let candidates = known.filter { $0.name == line.name && (try? $0.keyID) == line.keyID }
            guard !candidates.isEmpty else {
                found.append("\(id) (unknown key, ignored)")
                continue
            }
            guard let key = candidates.first(where: { $0.publicKey.isValidSignature(line.signature, for: body) }) else {
                problems.append("the signature by log key \(id) does not verify")
                found.append("\(id) (invalid)")
                continue
            }
            if destroyed.contains(key) {
                found.append("\(id) (a destroyed log key, not counted)")
            } else if let newest, trustedKeys.contains(key), key != newest.new {
                found.append("\(id) (rotated out, not counted)")
            } else if trustedKeys.contains(key) {
                signedByTrustedKey = true
                found.append("\(id) (trusted)")
            } else {
                found.append("\(id) (a log key not linked to the trusted key)")
            }
        }
        if !signedByTrustedKey, let newest {
            problems.insert(
                "no valid signature by \(describe(newest.new)), the log key since the rotation at entry \(newest.entry); "
                    + "the keys it rotated out no longer count", at: 0)
        } else if !signedByTrustedKey {
            problems.insert("no valid signature by a trusted key (trusted: \(trustedKeys.map(describe).joined(separator: ", ")))", at: 0)
        }
        let entries = links.map { String($0.entry) }.joined(separator: ", ")
        let rotations = links.isEmpty ? "" : "; log-key rotations endorsed by both keys: \(links.count == 1 ? "entry" : "entries") \(entries)"
        let signatures = "signatures: \(found.joined(separator: ", "))\(rotations)"
        return problems.isEmpty ? pass(signatures) : fail("\(summary(problems)); \(signatures)")
    }

    private enum Endorsement {
        case valid(old: SignedNote.Verifier, new: SignedNote.Verifier)
        case invalid(String)
    }

    /// Whether the log-key rotation that introduced `key` is signed by both the old and the new key.
    private func endorsement(of key: KeyHistory.Key, keys: KeyHistory, events: [AuditEvent?]) -> Endorsement {
        guard let replaced = key.replaces.map({ keys.keys[$0] }), replaced.purpose == KeyPurpose.log.rawValue,
            let oldText = replaced.verifier, let old = try? SignedNote.Verifier(encoded: oldText)
        else { return .invalid("the log-key rotation to \(key.kid) names no earlier log key with a verifier key") }
        guard let newText = key.verifier, let new = try? SignedNote.Verifier(encoded: newText) else {
            return .invalid("the log-key rotation to \(key.kid) has no readable verifier key")
        }
        let statement = AuditEvent.logRotationStatement(origin: trusted.name, index: key.introduced, old: oldText, new: newText)
        let rotation = "the log-key rotation \(replaced.kid) → \(key.kid) (\(describe(old)) → \(describe(new)))"
        let entry = events[key.introduced]
        guard let signature = entry?["old-signature"].flatMap({ Data(base64Encoded: $0) }),
            old.publicKey.isValidSignature(Array(signature), for: statement)
        else { return .invalid("\(rotation) carries no valid old-signature") }
        guard let signature = entry?["new-signature"].flatMap({ Data(base64Encoded: $0) }),
            new.publicKey.isValidSignature(Array(signature), for: statement)
        else { return .invalid("\(rotation) carries no valid new-signature") }
        return .valid(old: old, new: new)
    }

    /// `NAME+KEYID`, how a log key is named in evidence.
    private func describe(_ verifier: SignedNote.Verifier) -> String {
        "\(verifier.name)+\((try? verifier.keyID).map { Hex.encode($0) } ?? "?")"
    }
}
