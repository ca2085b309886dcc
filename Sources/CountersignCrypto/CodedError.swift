/// The one shape of Countersign's public errors: a struct with a ``code`` (a struct over a private enum, so new codes
/// do not break callers), a ``reason`` that says what to do, and where it was thrown. Callers match on the code;
/// equality and hashing compare the code only, and the description is the reason.
public protocol CodedError: Error, Hashable, CustomStringConvertible {
    associatedtype Code: Hashable & Sendable
    var code: Code { get }
    /// What went wrong and what to do about it.
    var reason: String { get }
}

extension CodedError {
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
    public var description: String { reason }
}
