import CountersignCrypto
import Foundation

/// The offline audit of a log: from the log's entries, its signed checkpoint and the checkpoint the auditor saw last
/// time, it checks what the log promises and explains each finding in an ``AuditReport``. It reads no network and no
/// files; the caller fetches them (`countersign audit verify`).
///
/// Every check runs every time, so one tampering can fail several checks. Each check's name says what broke:
/// `checkpoint-format`, `checkpoint-signature`, `entries-root`, `entries-format`, `consistency`, `cryptoperiods` and
/// `destroy-order`. `Docs/auditing.md` ("What `countersign audit verify` checks") describes them for auditors.
public struct AuditVerifier: Sendable {
    /// The log key the auditor trusts, obtained out of band (`GET /audit/key`). Keys linked to it by log-key
    /// rotations that both keys signed are trusted as well.
    public let trusted: SignedNote.Verifier
    /// The auditor's clock: no entry may be dated later, and a key past its not-after day must have been rotated.
    public let today: Date
    /// How long a confirmation token stays valid, in seconds. A token key may be destroyed only that long after its
    /// rotation, rounded up to whole days, plus one day (entries are dated to the day), because tokens it signed can
    /// be presented until then.
    public let tokenLifetime: Int64

    public init(trusted: SignedNote.Verifier, today: Date, tokenLifetime: Int64 = 48 * 3600) {
        self.trusted = trusted
        self.today = today
        self.tokenLifetime = tokenLifetime
    }

    /// Checks a log.
    ///
    /// - Parameters:
    ///   - checkpoint: the current checkpoint, a ``SignedNote`` in its text form.
    ///   - entries: every entry of the log, from index 0.
    ///   - previous: the checkpoint the auditor saw last time (verified then), or `nil` on a first audit.
    ///   - consistencyProof: the log's RFC 6962 consistency proof from `previous.size` to the checkpoint's size.
    public func verify(checkpoint: String, entries: [String], previous: Checkpoint?, consistencyProof: [[UInt8]]?) -> AuditReport {
        let events = entries.map(AuditEvent.init(text:))
        let tree = try? MerkleTree(entries: entries.map { Array($0.utf8) })
        let keys = KeyHistory(events)
        let (format, note, current) = checkpointFormat(checkpoint)
        return AuditReport(checks: [
            format,
            checkpointSignature(note, keys: keys, events: events),
            entriesRoot(current, count: entries.count, tree: tree, previous: previous),
            entriesFormat(events),
            consistency(current, previous: previous, proof: consistencyProof, count: entries.count, tree: tree),
            cryptoperiods(keys),
            destroyOrder(events, keys: keys),
        ])
    }

    // MARK: - The checkpoint

    private func checkpointFormat(_ text: String) -> (AuditReport.Check, SignedNote?, Checkpoint?) {
        let name = "checkpoint-format"
        let note: SignedNote
        let checkpoint: Checkpoint
        do {
            note = try SignedNote(encoded: text)
        } catch {
            return (.fail(name, error.description), nil, nil)
        }
        do {
            checkpoint = try Checkpoint(text: note.text)
        } catch {
            return (.fail(name, "the note's body is \(error.description)"), note, nil)
        }
        guard checkpoint.origin == trusted.name else {
            return (.fail(name, "the checkpoint's origin is \(checkpoint.origin), not the trusted log \(trusted.name)"), note, checkpoint)
        }
        return (.pass(name, "origin \(checkpoint.origin), size \(checkpoint.size), root \(base64(checkpoint.rootHash))"), note, checkpoint)
    }

    /// C2SP signed-note rules: a line by a known key must verify, lines by unknown keys (a witness's cosignature) are
    /// ignored, and at least one valid line must come from a trusted key.
    private func checkpointSignature(_ note: SignedNote?, keys: KeyHistory, events: [AuditEvent?]) -> AuditReport.Check {
        let name = "checkpoint-signature"
        guard let note else { return .fail(name, "there is no signed note to check") }
        var problems: [String] = []
        var known = [trusted]
        var links: [(old: SignedNote.Verifier, new: SignedNote.Verifier, entry: Int)] = []
        for key in keys.keys where key.purpose == KeyPurpose.log.rawValue {
            guard let encoded = key.verifier, let verifier = try? SignedNote.Verifier(encoded: encoded) else {
                problems.append("entry \(key.introduced) gives log key \(key.kid) no readable verifier key")
                continue
            }
            if !known.contains(verifier) { known.append(verifier) }
            guard events[key.introduced]?.type == "key-rotated" else { continue }
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
        // A log key the log says was destroyed (perhaps because it leaked) no longer vouches for a checkpoint.
        let destroyedKids = Set(events.compactMap { event in
            event?.type == "key-destroyed" && event?["purpose"] == KeyPurpose.log.rawValue ? event?["kid"] : nil
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
            } else if trustedKeys.contains(key) {
                signedByTrustedKey = true
                found.append("\(id) (trusted)")
            } else {
                found.append("\(id) (a log key not linked to the trusted key)")
            }
        }
        if !signedByTrustedKey {
            problems.insert("no valid signature by a trusted key (trusted: \(trustedKeys.map(describe).joined(separator: ", ")))", at: 0)
        }
        let entries = links.map { String($0.entry) }.joined(separator: ", ")
        let rotations = links.isEmpty ? "" : "; log-key rotations endorsed by both keys: \(links.count == 1 ? "entry" : "entries") \(entries)"
        let evidence = "signatures: \(found.joined(separator: ", "))\(rotations)"
        return problems.isEmpty ? .pass(name, evidence) : .fail(name, "\(summary(problems)); \(evidence)")
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
        let statement = AuditEvent.logRotationStatement(old: oldText, new: newText)
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

    // MARK: - The entries

    private func entriesRoot(_ checkpoint: Checkpoint?, count: Int, tree: MerkleTree?, previous: Checkpoint?) -> AuditReport.Check {
        let name = "entries-root"
        guard let checkpoint else { return .fail(name, "there is no checkpoint to compare the \(count) entries with") }
        guard let tree, let root = try? tree.root() else { return .fail(name, "the entries could not be hashed") }
        if count == checkpoint.size && root == checkpoint.rootHash {
            return .pass(name, "the \(count) entries hash to the checkpoint's root \(base64(root))")
        }
        var evidence =
            count == checkpoint.size
            ? "the \(count) entries hash to \(base64(root)), not to the checkpoint's root \(base64(checkpoint.rootHash))"
            : "log holds \(count) entries; the checkpoint says \(checkpoint.size)"
        if let previous {
            if count < previous.size {
                evidence += "; the log holds fewer entries than the earlier checkpoint's \(previous.size)"
            } else if (try? tree.root(size: previous.size)) == previous.rootHash {
                evidence += "; the first \(previous.size) entries still match the earlier checkpoint, so the change lies at entry "
                    + "\(previous.size) or later"
            } else {
                evidence += "; the first \(previous.size) entries no longer match the earlier checkpoint, so an entry before \(previous.size) changed"
            }
        }
        return .fail(name, evidence)
    }

    private func entriesFormat(_ events: [AuditEvent?]) -> AuditReport.Check {
        let name = "entries-format"
        let todayDay = UTCDay.of(today)
        var problems: [String] = []
        var latest: (index: Int, day: String)?
        for (index, event) in events.enumerated() {
            guard let event else {
                problems.append("entry \(index) is not an audit event (type=… fields… date=YYYY-MM-DD)")
                continue
            }
            if let latest, event.day < latest.day {
                problems.append("entry \(index) is dated \(event.day), before entry \(latest.index) (\(latest.day))")
            } else {
                latest = (index, event.day)
            }
            if event.day > todayDay { problems.append("entry \(index) is dated \(event.day), after today (\(todayDay))") }
        }
        guard problems.isEmpty else { return .fail(name, summary(problems)) }
        guard let first = events.first??.day, let last = events.last??.day else { return .pass(name, "the log holds no entries") }
        return .pass(name, "\(events.count) entries parse, dated \(first) to \(last) in order, none after today (\(todayDay))")
    }

    private func consistency(
        _ current: Checkpoint?, previous: Checkpoint?, proof: [[UInt8]]?, count: Int, tree: MerkleTree?
    ) -> AuditReport.Check {
        let name = "consistency"
        guard let previous else {
            return .pass(name, "no earlier checkpoint is on record, so this one becomes the reference")
        }
        guard let current else { return .fail(name, "there is no checkpoint to compare with the earlier one (size \(previous.size))") }
        var problems: [String] = []
        if previous.origin != current.origin {
            problems.append("the earlier checkpoint is for \(previous.origin), this one for \(current.origin)")
        }
        if previous.size > current.size {
            problems.append("the log shrank from \(previous.size) to \(current.size) entries")
        } else if let proof {
            let extends =
                previous.size == 0
                ? (try? MerkleTree().root()) == previous.rootHash
                : MerkleTree.verifyConsistency(
                    oldSize: previous.size, newSize: current.size, oldRoot: previous.rootHash, newRoot: current.rootHash, proof: proof)
            if !extends {
                problems.append(
                    "the consistency proof (\(proof.count) hashes) does not show the earlier tree of \(previous.size) entries inside this one "
                        + "of \(current.size): the log forked or rewrote its history")
            }
        } else {
            problems.append("the log served no consistency proof from size \(previous.size) to \(current.size)")
        }
        if count < previous.size {
            problems.append("the log holds \(count) entries, fewer than the earlier checkpoint's \(previous.size)")
        } else if tree.flatMap({ try? $0.root(size: previous.size) }) != previous.rootHash {
            problems.append("the first \(previous.size) entries served now do not hash to the earlier root \(base64(previous.rootHash))")
        }
        guard problems.isEmpty else { return .fail(name, summary(problems)) }
        return .pass(
            name,
            "the checkpoint of size \(current.size) extends the earlier one of size \(previous.size): the consistency proof verifies "
                + "and the first \(previous.size) entries still hash to the earlier root")
    }

    // MARK: - Key life cycles

    private func cryptoperiods(_ keys: KeyHistory) -> AuditReport.Check {
        let name = "cryptoperiods"
        let todayDay = UTCDay.of(today)
        var problems = keys.problems
        var findings: [String] = []
        for key in keys.keys {
            let label = "\(key.purpose) key \(key.kid)"
            guard let notAfter = key.notAfter, UTCDay.date(notAfter) != nil else {
                problems.append("\(label) (entry \(key.introduced)) carries no not-after day")
                continue
            }
            if let replacement = key.replacement {
                let day = UTCDay.of(replacement.date)
                if day > notAfter {
                    problems.append("\(label) was replaced on \(day) (entry \(replacement.index)), after its not-after day \(notAfter)")
                } else {
                    findings.append("\(label) replaced \(day) (not after \(notAfter))")
                }
            } else if todayDay > notAfter {
                problems.append("\(label) outlived its cryptoperiod (not after \(notAfter)) with no rotation entry")
            } else {
                findings.append("\(label) in service, not after \(notAfter)")
            }
        }
        guard problems.isEmpty else { return .fail(name, summary(problems)) }
        return .pass(name, findings.isEmpty ? "the log introduces no keys" : findings.joined(separator: "; "))
    }

    private func destroyOrder(_ events: [AuditEvent?], keys: KeyHistory) -> AuditReport.Check {
        let name = "destroy-order"
        let lifetimeDays = Int((tokenLifetime + KeyPolicy.day - 1) / KeyPolicy.day)
        var problems: [String] = []
        var findings: [String] = []
        for (index, event) in events.enumerated() {
            guard let event, event.type == "key-destroyed" else { continue }
            guard let kid = event["kid"], let key = keys.key(kid), key.introduced < index else {
                problems.append("entry \(index) destroys key \(event["kid"] ?? "(no kid)"), which no earlier entry introduced")
                continue
            }
            let label = "\(key.purpose) key \(kid)"
            if let purpose = event["purpose"], purpose != key.purpose {
                problems.append("entry \(index) destroys \(label) as a \(purpose) key")
            }
            if let again = events[(index + 1)...].firstIndex(where: { $0?["kid"] == kid || $0?["previous"] == kid }) {
                problems.append("\(label), destroyed at entry \(index), appears again at entry \(again) (\(events[again]?.type ?? "?"))")
            }
            guard let replacement = key.replacement, replacement.index < index else {
                problems.append("entry \(index) destroys \(label), which no earlier entry rotated out")
                continue
            }
            switch key.purpose {
            case KeyPurpose.master.rawValue:
                let rewrap = events[replacement.index..<index].firstIndex { $0?.type == "master-rewrapped" && $0?["previous"] == kid }
                guard let rewrap else {
                    problems.append("entry \(index) destroys \(label) before any master-rewrapped entry moved the petition keys off it")
                    continue
                }
                findings.append("\(label) destroyed \(event.day), after its rotation (entry \(replacement.index)) and re-wrap (entry \(rewrap))")
            case KeyPurpose.token.rawValue:
                let days = Int((event.date.timeIntervalSince(replacement.date) / Double(KeyPolicy.day)).rounded())
                let after = "\(days) day\(days == 1 ? "" : "s") after its rotation (entry \(replacement.index))"
                // Entries carry days only: a rotation late on day D may mint tokens valid until D + lifetime, so a
                // destroy is provably safe from day D + lifetime + 1 on.
                guard days > lifetimeDays else {
                    problems.append(
                        "entry \(index) destroys \(label) \(after); tokens it signed stay valid for \(lifetimeDays) days, so it must wait \(lifetimeDays + 1)")
                    continue
                }
                findings.append("\(label) destroyed \(event.day), \(after)")
            default:
                findings.append("\(label) destroyed \(event.day), after its rotation (entry \(replacement.index))")
            }
        }
        guard problems.isEmpty else { return .fail(name, summary(problems)) }
        return .pass(name, findings.isEmpty ? "no key was destroyed" : findings.joined(separator: "; "))
    }

    // MARK: - Evidence

    private func base64(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }

    /// `NAME+KEYID`, how a log key is named in evidence.
    private func describe(_ verifier: SignedNote.Verifier) -> String {
        "\(verifier.name)+\((try? verifier.keyID).map { Hex.encode($0) } ?? "?")"
    }

    /// The first few problems, so that the line stays readable; the first names the first offending entry.
    private func summary(_ problems: [String], limit: Int = 3) -> String {
        let shown = problems.prefix(limit).joined(separator: "; ")
        return problems.count > limit ? "\(shown); and \(problems.count - limit) more" : shown
    }
}

extension AuditReport.Check {
    fileprivate static func pass(_ name: String, _ evidence: String) -> Self { Self(name: name, passed: true, evidence: evidence) }
    fileprivate static func fail(_ name: String, _ evidence: String) -> Self { Self(name: name, passed: false, evidence: evidence) }
}

/// The keys the log introduces (`key-created`, `key-rotated`) in order, and the entry that rotated each one out.
private struct KeyHistory {
    struct Key {
        let kid: String
        let purpose: String
        /// Index of the entry that introduced the key.
        let introduced: Int
        let notAfter: String?
        /// A log key's verifier key, `NAME+KEYID+BASE64`.
        let verifier: String?
        /// Index in ``KeyHistory/keys`` of the key this one replaced.
        let replaces: Int?
        /// The `key-rotated` entry that named this key `previous`.
        var replacement: (index: Int, date: Date)?
    }

    private(set) var keys: [Key] = []
    private var byKid: [String: Int] = [:]
    /// Entries that break the chain of keys: a key introduced twice, a rotation that replaces no current key.
    private(set) var problems: [String] = []

    init(_ events: [AuditEvent?]) {
        for (index, event) in events.enumerated() {
            guard let event, event.type == "key-created" || event.type == "key-rotated" else { continue }
            guard let kid = event["kid"], let purpose = event["purpose"] else {
                problems.append("entry \(index) (\(event.type)) names no kid or purpose")
                continue
            }
            var replaces: Int?
            if event.type == "key-rotated" {
                replaces = event["previous"].flatMap { byKid[$0] }
                if let old = replaces, keys[old].purpose == purpose, keys[old].replacement == nil {
                    keys[old].replacement = (index, event.date)
                } else {
                    let previous = event["previous"] ?? "no key"
                    let state = replaces == nil ? "which no earlier entry introduced" : "which is not a current \(purpose) key"
                    problems.append("entry \(index) rotates \(purpose) key \(kid) in for \(previous), \(state)")
                }
            }
            if let earlier = byKid[kid] {
                problems.append("entry \(index) introduces key \(kid) again (first at entry \(keys[earlier].introduced))")
                continue
            }
            byKid[kid] = keys.count
            keys.append(
                Key(kid: kid, purpose: purpose, introduced: index, notAfter: event["not-after"], verifier: event["verifier"], replaces: replaces))
        }
    }

    /// The key introduced with id `kid`, if any.
    func key(_ kid: String) -> Key? {
        byKid[kid].map { keys[$0] }
    }
}
