/// A public URL that would name the audit log differently from the name its entries already carry.
///
/// One kind of failure, so the type is its code; ``fileID`` and ``line`` say where it was thrown, as for
/// ``AuditError``.
public struct AuditOriginMismatch: Error, CustomStringConvertible {
    /// The log's name, from the verifier key in its first log-key entry.
    public let recorded: String
    /// The name the given public URL would give it (``AuditLog/origin(publicURL:)``).
    public let derived: String
    public let fileID: String
    public let line: UInt

    public init(recorded: String, derived: String, fileID: String = #fileID, line: UInt = #line) {
        self.recorded = recorded
        self.derived = derived
        self.fileID = fileID
        self.line = line
    }

    public var description: String {
        "the audit log is named \(recorded) (in its log-key entries), but this public URL names it \(derived); pass the service's public URL, or leave --public-url out to use the recorded name"
    }
}
