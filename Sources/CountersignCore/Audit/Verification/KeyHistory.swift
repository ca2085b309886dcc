import Foundation

/// The keys the log introduces (`key-created`, `key-rotated`) in order, and the entry that rotated each one out, as
/// the audit's key checks read them.
struct KeyHistory: Sendable {
    struct Key: Sendable {
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
            guard let event, event.kind == .keyCreated || event.kind == .keyRotated else { continue }
            guard let kid = event["kid"], let purpose = event["purpose"] else {
                problems.append("entry \(index) (\(event.type)) names no kid or purpose")
                continue
            }
            var replaces: Int?
            if event.kind == .keyRotated {
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
