/// What a bearer token lets its holder do. Signers need no token; the audit log is public.
public enum AccessRole: String, Sendable, CaseIterable, Codable {
    /// Exports anonymized counts and opens the dashboard, of one petition or of all.
    case organizer
    /// Reads the service's operational metrics (`/metrics`).
    case auditor
}
