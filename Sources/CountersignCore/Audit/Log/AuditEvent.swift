import CountersignCrypto
import Foundation

/// An audit-log entry: one line of `key=value` fields, starting with the event type and ending with the UTC
/// date. It holds slugs, key ids, fingerprints and public verifier keys only: never key material, pseudonyms,
/// tokens or addresses. `Docs/auditing.md` lists every type and its fields.
public struct AuditEvent: Sendable, Equatable {
    public let type: String
    public let fields: [(String, String)]
    public let date: Date

    public init(type: String, fields: [(String, String)], date: Date) {
        self.type = type
        self.fields = fields
        self.date = date
    }

    /// The value of field `name`, if the entry has it.
    public subscript(name: String) -> String? {
        fields.first { $0.0 == name }?.1
    }

    /// The entry's UTC day, `YYYY-MM-DD`.
    public var day: String { UTCDay.of(date) }

    /// The entry's text: `type=T k=v … date=YYYY-MM-DD`.
    public var text: String {
        (["type=\(type)"] + fields.map { "\($0.0)=\($0.1)" } + ["date=\(day)"]).joined(separator: " ")
    }

    /// Parses an entry's text; `nil` unless it has the `type=… date=YYYY-MM-DD` shape.
    public init?(text: String) {
        let pairs = text.split(separator: " ", omittingEmptySubsequences: false).map { field -> (String, String)? in
            guard let equals = field.firstIndex(of: "="), equals != field.startIndex else { return nil }
            return (String(field[..<equals]), String(field[field.index(after: equals)...]))
        }
        guard pairs.count >= 2, let first = pairs.first ?? nil, first.0 == "type", let last = pairs.last ?? nil,
            last.0 == "date", let date = UTCDay.date(last.1)
        else { return nil }
        var fields: [(String, String)] = []
        for pair in pairs.dropFirst().dropLast() {
            guard let pair else { return nil }
            fields.append(pair)
        }
        self.init(type: first.1, fields: fields, date: date)
        guard self.text == text else { return nil }
    }

    public static func == (lhs: AuditEvent, rhs: AuditEvent) -> Bool { lhs.text == rhs.text }

    /// The date for entries appended after `entries`: `now`, or the last entry's day if that is later (another
    /// instance's clock, or midnight passing while waiting for the log's lock), so dates never go backwards.
    public static func date(_ now: Date, after entries: [String]) -> Date {
        guard let last = entries.last.flatMap(AuditEvent.init(text:)), last.date > now else { return now }
        return last.date
    }
}

// MARK: - Petition events

extension AuditEvent {
    /// A petition was created (`petition-open`), paused, reopened or closed.
    public static func petition(_ slug: PetitionSlug, state: PetitionState, date: Date) -> AuditEvent {
        AuditEvent(kind: Kind(petitionState: state), fields: [("slug", slug.value)], date: date)
    }

    /// A closed petition's key and pseudonyms were destroyed; its aggregates remain.
    public static func petitionShredded(_ slug: PetitionSlug, date: Date) -> AuditEvent {
        AuditEvent(kind: .petitionShredded, fields: [("slug", slug.value)], date: date)
    }

    /// Emergency re-keying: every pseudonym of the petition went through one more HMAC layer; `layers` counts them.
    public static func petitionRekeyed(_ slug: PetitionSlug, layers: Int, date: Date) -> AuditEvent {
        AuditEvent(kind: .petitionRekeyed, fields: [("slug", slug.value), ("layers", String(layers))], date: date)
    }
}

// MARK: - Key events

extension AuditEvent {
    /// The text both log keys sign when the log key rotates: the log's origin, the index of the `key-rotated` entry
    /// that carries it, and the old and the new verifier key. The origin and the index pin the statement to one place
    /// in one log, so it cannot be copied into another log or to another position of this one.
    public static func logRotationStatement(origin: String, index: Int, old: String, new: String) -> [UInt8] {
        Array("countersign/log-key-rotation/v2\n\(origin)\n\(index)\n\(old)\n\(new)\n".utf8)
    }

    /// A key entered the keyring as the first primary of its purpose (`key-created`), or replaced the primary
    /// `previous` (`key-rotated`), which became verify-only.
    ///
    /// - Parameters:
    ///   - verifier: for a log key, its public verifier key (`NAME+KEYID+BASE64`).
    ///   - endorsement: for a log-key rotation, the old and new keys' signatures of
    ///     ``logRotationStatement(origin:index:old:new:)``.
    public static func key(
        _ key: KeyEntry, previous: KeyEntry? = nil, verifier: String? = nil,
        endorsement: (old: [UInt8], new: [UInt8])? = nil, date: Date
    ) -> AuditEvent {
        var fields = [
            ("purpose", key.purpose.rawValue), ("kid", key.kidHex), ("fingerprint", key.fingerprint),
            ("not-after", UTCDay.of(key.notAfter)),
        ]
        if let previous { fields.append(("previous", previous.kidHex)) }
        if let verifier { fields.append(("verifier", verifier)) }
        if let endorsement {
            fields.append(("old-signature", Data(endorsement.old).base64EncodedString()))
            fields.append(("new-signature", Data(endorsement.new).base64EncodedString()))
        }
        return AuditEvent(kind: previous == nil ? .keyCreated : .keyRotated, fields: fields, date: date)
    }

    /// Every petition key wrapped under master key `previous` is now wrapped under `current`.
    public static func masterRewrapped(previous: KeyEntry, current: KeyEntry, petitions: Int, date: Date) -> AuditEvent {
        AuditEvent(
            kind: .masterRewrapped,
            fields: [("previous", previous.kidHex), ("kid", current.kidHex), ("petitions", String(petitions))], date: date)
    }

    /// A key's material was erased; its fingerprint stays on record.
    public static func keyDestroyed(_ key: KeyEntry, date: Date) -> AuditEvent {
        AuditEvent(
            kind: .keyDestroyed,
            fields: [("purpose", key.purpose.rawValue), ("kid", key.kidHex), ("fingerprint", key.fingerprint)], date: date)
    }
}
