import CountersignCore
import CountersignCrypto
import Foundation

/// A composed mail: headers and a multipart/alternative body (plain text and HTML). Held in memory only.
public struct MailMessage: Sendable {
    public let recipient: String
    public let subject: String
    /// The link the message carries, if any (the log transport prints it).
    public let link: String?
    public let plainText: String
    public let html: String
    public let kindName: String
    /// The `Date:` header: when the mail was queued.
    public let date: Date

    /// Composes the message for `mail`, queued at `date`, with links under `publicURL` that work for `linkLifetime`.
    public init(_ mail: OutgoingMail, publicURL: String, linkLifetime: Duration = Token.defaultLifetime, date: Date = Date()) {
        self.date = date
        let hours = Int((Double(linkLifetime.components.seconds) / 3600).rounded())
        recipient = mail.recipient
        kindName = mail.kind.name
        let title = mail.petitionTitle
        switch mail.kind {
        case .confirm(let token):
            let link = "\(publicURL)/confirm/\(token)"
            self.link = link
            subject = "Confirm your signature: \(title)"
            plainText = """
                Someone, hopefully you, asked to sign the petition "\(title)".

                To confirm your signature, open this link and press Confirm:
                \(link)

                The link works for \(hours) hours. If you did not ask to sign, ignore this message: nothing is counted.
                Countersign keeps no copy of your email address.
                """
        case .alreadySigned:
            link = nil
            subject = "You have already signed: \(title)"
            plainText = """
                Someone, hopefully you, asked to sign the petition "\(title)" with this address.

                This address has already signed, so nothing changed. Each person counts once.
                Countersign keeps no copy of your email address.
                """
        case .withdraw(let token):
            let link = "\(publicURL)/withdraw/\(token)"
            self.link = link
            subject = "Withdraw your signature: \(title)"
            plainText = """
                Someone, hopefully you, asked to withdraw this address's signature from "\(title)".

                To withdraw it, open this link and press Withdraw:
                \(link)

                The link works for \(hours) hours. If you did not ask, ignore this message: your signature stays.
                """
        case .notSigned:
            link = nil
            subject = "No signature to withdraw: \(title)"
            plainText = """
                Someone, hopefully you, asked to withdraw this address's signature from "\(title)".

                This address has not signed this petition (or its signature was not confirmed), so nothing changed.
                Countersign keeps no copy of your email address.
                """
        }
        let escapedLink = link.map(HTMLEscaping.escape)
        html = "<!doctype html><html><body>" + plainText.components(separatedBy: "\n\n").map { paragraph in
            var markup = HTMLEscaping.escape(paragraph).replacingOccurrences(of: "\n", with: "<br>")
            if let escapedLink {
                markup = markup.replacingOccurrences(of: escapedLink, with: "<a href=\"\(escapedLink)\">\(escapedLink)</a>")
            }
            return "<p>\(markup)</p>"
        }.joined() + "</body></html>"
    }

    /// The RFC 5322 message: headers with RFC 2047 encoded words for non-ASCII text, a Message-ID under the
    /// sender's domain, and a multipart/alternative body in quoted-printable-free UTF-8 8bit.
    public func rendered(from sender: String) throws -> String {
        let boundary = "countersign-" + Hex.encode(try SecureRandom.bytes(count: 12))
        let domain = sender.split(separator: "@").last.map(String.init) ?? "localhost"
        let messageID = "<\(Hex.encode(try SecureRandom.bytes(count: 16)))@\(domain)>"
        let headers = [
            "From: \(Self.encodedWord("Countersign")) <\(sender)>",
            "To: <\(recipient)>",
            "Subject: \(Self.encodedWord(subject))",
            "Date: \(Self.rfc5322Date(date))",
            "Message-ID: \(messageID)",
            "MIME-Version: 1.0",
            "Auto-Submitted: auto-generated",
            "Content-Type: multipart/alternative; boundary=\"\(boundary)\"",
        ]
        let body = [
            "--\(boundary)",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: 8bit",
            "",
            plainText,
            "--\(boundary)",
            "Content-Type: text/html; charset=utf-8",
            "Content-Transfer-Encoding: 8bit",
            "",
            html,
            "--\(boundary)--",
            "",
        ]
        // SMTP lines end in CRLF; strict servers refuse a bare LF, which the composed texts use.
        return (headers + [""] + body).joined(separator: "\r\n").replacingOccurrences(of: "\r\n", with: "\n")
            .replacingOccurrences(of: "\n", with: "\r\n")
    }

    /// RFC 2047 `=?utf-8?B?…?=` for text that is not plain printable ASCII; header injection is impossible
    /// because CR and LF never survive encoding.
    static func encodedWord(_ text: String) -> String {
        let plain = text.unicodeScalars.allSatisfy { $0.isASCII && $0.value >= 0x20 && $0.value < 0x7f }
        return plain ? text : "=?utf-8?B?\(Data(text.utf8).base64EncodedString())?="
    }

    static func rfc5322Date(_ date: Date) -> String {
        date.formatted(Date.VerbatimFormatStyle(
            format: "\(weekday: .abbreviated), \(day: .twoDigits) \(month: .abbreviated) \(year: .defaultDigits) \(hour: .twoDigits(clock: .twentyFourHour, hourCycle: .zeroBased)):\(minute: .twoDigits):\(second: .twoDigits) +0000",
            locale: Locale(identifier: "en_US_POSIX"), timeZone: .gmt, calendar: Calendar(identifier: .gregorian)))
    }
}

extension MailMessage: CustomStringConvertible, CustomReflectable {
    /// Redacted: a message holds an address and a live link.
    // The kind is the signer's state, so it is redacted with the recipient and the link.
    public var description: String { "MailMessage(recipient, kind and link redacted)" }
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}
