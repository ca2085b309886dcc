import Foundation

extension AuditEvent {
    /// Every event type Countersign writes to its log, spelled once: the raw value is the entry's `type=` field.
    ///
    /// ``AuditEvent/type`` stays a string, so that an entry of a type this version does not know still parses and an
    /// auditor sees it; ``AuditEvent/kind`` names the known ones. `Docs/auditing.md` lists each type's fields.
    public enum Kind: String, Sendable, CaseIterable {
        /// A petition was created, or reopened after a pause.
        case petitionOpen = "petition-open"
        /// A petition stopped collecting for now (the kill switch).
        case petitionPaused = "petition-paused"
        /// A petition closed for good.
        case petitionClosed = "petition-closed"
        /// A closed petition's key and pseudonyms were destroyed.
        case petitionShredded = "petition-shredded"
        /// A petition's pseudonyms went through one more HMAC layer.
        case petitionRekeyed = "petition-rekeyed"
        /// A key entered the keyring as the first primary of its purpose.
        case keyCreated = "key-created"
        /// A key replaced the primary of its purpose, which became verify-only.
        case keyRotated = "key-rotated"
        /// A key's material was erased.
        case keyDestroyed = "key-destroyed"
        /// The petition keys wrapped under an old master key were wrapped under the current one.
        case masterRewrapped = "master-rewrapped"

        /// The event that records a petition entering `state`.
        public init(petitionState state: PetitionState) {
            switch state {
            case .open: self = .petitionOpen
            case .paused: self = .petitionPaused
            case .closed: self = .petitionClosed
            }
        }

        /// The state this event records a petition entering, for the three petition-state events.
        public var petitionState: PetitionState? {
            switch self {
            case .petitionOpen: .open
            case .petitionPaused: .paused
            case .petitionClosed: .closed
            case .petitionShredded, .petitionRekeyed, .keyCreated, .keyRotated, .keyDestroyed, .masterRewrapped: nil
            }
        }
    }

    /// The entry's type as a ``Kind``, or `nil` for a type Countersign does not write.
    public var kind: Kind? { Kind(rawValue: type) }

    /// An event of a known kind.
    public init(kind: Kind, fields: [(String, String)], date: Date) {
        self.init(type: kind.rawValue, fields: fields, date: date)
    }
}
