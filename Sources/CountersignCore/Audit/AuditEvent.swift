import Foundation

/// An audit-log entry: one line of `key=value` fields, starting with the event type and ending with the UTC
/// date. It holds slugs, key ids and fingerprints only: never key material, pseudonyms, tokens or addresses.
public struct AuditEvent: Sendable, Equatable {
    public let type: String
    public let fields: [(String, String)]
    public let date: Date

    public init(type: String, fields: [(String, String)], date: Date) {
        self.type = type
        self.fields = fields
        self.date = date
    }

    /// A petition was created, paused, reopened or closed.
    public static func petition(_ slug: PetitionSlug, state: PetitionState, date: Date) -> AuditEvent {
        AuditEvent(type: "petition-\(state.rawValue)", fields: [("slug", slug.value)], date: date)
    }

    /// The entry's text: `type=T k=v … date=YYYY-MM-DD`.
    public var text: String {
        (["type=\(type)"] + fields.map { "\($0.0)=\($0.1)" } + ["date=\(UTCDay.of(date))"]).joined(separator: " ")
    }

    public static func == (lhs: AuditEvent, rhs: AuditEvent) -> Bool { lhs.text == rhs.text }
}
