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
        html = Self.html(plainText, link: link)
    }

    /// The HTML part, in one pass over the plain text's lines: a blank line ends a paragraph, a line break is `<br>`,
    /// and the line that is the link becomes an anchor; everything else is escaped.
    static func html(_ plainText: String, link: String?) -> String {
        let linkBytes = link.map { Array($0.utf8) }
        var html = Array("<!doctype html><html><body><p>".utf8)
        html.reserveCapacity(plainText.utf8.count * 2 + 64)
        var paragraphStarts = true
        for line in plainText.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            if line.isEmpty {
                html += Array("</p><p>".utf8)
                paragraphStarts = true
                continue
            }
            if !paragraphStarts { html += Array("<br>".utf8) }
            paragraphStarts = false
            let text = Substring(line)
            if let linkBytes, line.elementsEqual(linkBytes) {
                html += Array("<a href=\"".utf8)
                HTMLEscaping.append(text, to: &html)
                html += Array("\">".utf8)
                HTMLEscaping.append(text, to: &html)
                html += Array("</a>".utf8)
            } else {
                HTMLEscaping.append(text, to: &html)
            }
        }
        return String(decoding: html + Array("</p></body></html>".utf8), as: UTF8.self)
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
        return Self.crlf((headers + [""] + body).joined(separator: "\n"))
    }

    /// `text` with every line ending, LF or CRLF, written as CRLF, in one pass over its bytes.
    static func crlf(_ text: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count + text.utf8.count / 16)
        var previous: UInt8 = 0
        for byte in text.utf8 {
            if byte == UInt8(ascii: "\n"), previous != UInt8(ascii: "\r") { bytes.append(UInt8(ascii: "\r")) }
            bytes.append(byte)
            previous = byte
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// RFC 2047 `=?utf-8?B?…?=` for text that is not plain printable ASCII; header injection is impossible
    /// because CR and LF never survive encoding.
    static func encodedWord(_ text: String) -> String {
        let plain = text.unicodeScalars.allSatisfy { $0.isASCII && $0.value >= 0x20 && $0.value < 0x7f }
        return plain ? text : "=?utf-8?B?\(Data(text.utf8).base64EncodedString())?="
    }

    /// `Mon, 30 Nov 2026 20:18:40 +0000`, in UTC, from the civil-from-days arithmetic of the proleptic Gregorian
    /// calendar (H. Hinnant), without building a calendar and a formatter for every message.
    static func rfc5322Date(_ date: Date) -> String {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let time = seconds - days * 86_400
        let era = (days + 719_468 >= 0 ? days + 719_468 : days + 719_468 - 146_096) / 146_097
        let dayOfEra = days + 719_468 - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        let weekday = Int((days % 7 + 7 + 4) % 7)  // 1970-01-01 was a Thursday
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(weekdays[weekday]), \(two(day)) \(months[Int(month) - 1]) \(year) \(two(time / 3600)):\(two(time / 60 % 60)):\(two(time % 60)) +0000"
    }

    private static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
}

extension MailMessage: CustomStringConvertible, CustomReflectable {
    /// Redacted: a message holds an address and a live link.
    // The kind is the signer's state, so it is redacted with the recipient and the link.
    public var description: String { "MailMessage(recipient, kind and link redacted)" }
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}
