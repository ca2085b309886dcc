/// What ``SigningService/confirm(token:)`` did, and, when it counted, the secret `r` of the signer's receipt: handed to
/// the signer once (the server builds the ``Receipt`` with its log's origin) and kept nowhere.
public struct Confirmation: Sendable, Equatable {
    public let outcome: ConfirmOutcome
    /// `r`, when ``outcome`` is ``ConfirmOutcome/confirmed(slug:epoch:)``; `nil` otherwise.
    public let receiptSecret: [UInt8]?

    public init(outcome: ConfirmOutcome, receiptSecret: [UInt8]?) {
        self.outcome = outcome
        self.receiptSecret = outcome.counted ? receiptSecret : nil
    }
}

extension Confirmation: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The outcome only: `r` must never reach a log line through an interpolation.
    public var description: String { "Confirmation(\(outcome), receipt secret: \(receiptSecret == nil ? "none" : "redacted"))" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["outcome": outcome]) }
}
