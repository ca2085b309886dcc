/// A public URL that would name the audit log differently from the name its entries already carry.
public struct AuditOriginMismatch: Error, CustomStringConvertible {
    public let recorded: String
    public let derived: String

    public var description: String {
        "the audit log is named \(recorded) (in its log-key entries), but this public URL names it \(derived); pass the service's public URL, or leave --public-url out to use the recorded name"
    }
}
