/// Delivers one composed message. Implementations: ``LogMailTransport`` (development: prints the link,
/// never the address) and, for production, SMTP and sendmail transports.
public protocol MailTransport: Sendable {
    func deliver(_ message: MailMessage) async throws
}
