/// Delivers one composed message. Implementations: ``LogMailTransport`` (development: prints the link,
/// never the address), ``SMTPMailTransport`` and ``SendmailMailTransport``.
public protocol MailTransport: Sendable {
    func deliver(_ message: MailMessage) async throws
}

/// Why a delivery failed, in the transport's own words (libcurl's message, the program's exit status).
/// It never quotes the recipient.
public struct MailDeliveryError: Error, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
