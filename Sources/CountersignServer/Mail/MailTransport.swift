/// Delivers one composed message. Implementations: ``LogMailTransport`` (development: prints the link,
/// never the address), ``SMTPMailTransport`` and ``SendmailMailTransport``.
public protocol MailTransport: Sendable {
    /// Delivers `message`, giving up (and throwing) once `deadline` has passed.
    func deliver(_ message: MailMessage, within deadline: Duration) async throws
}

/// Why a delivery failed, in the transport's own words (libcurl's message, the program's exit status).
/// It never quotes the recipient.
public struct MailDeliveryError: Error, CustomStringConvertible {
    public let description: String
    /// The relay refused the message for good (an SMTP 5xx reply): a retry would be refused the same way.
    public let permanent: Bool

    public init(_ description: String, permanent: Bool = false) {
        self.description = description
        self.permanent = permanent
    }
}
