import CountersignCore
@testable import CountersignServer
import Foundation
import PropertyBased
import Testing

@Suite("Mail message rendering")
struct MailMessageTests {
    @Test("property: the Date header matches Foundation's RFC 5322 formatting, before and after 1970")
    func dates() async {
        let oracle = Date.VerbatimFormatStyle(
            format: "\(weekday: .abbreviated), \(day: .twoDigits) \(month: .abbreviated) \(year: .defaultDigits) \(hour: .twoDigits(clock: .twentyFourHour, hourCycle: .zeroBased)):\(minute: .twoDigits):\(second: .twoDigits) +0000",
            locale: Locale(identifier: "en_US_POSIX"), timeZone: .gmt, calendar: Calendar(identifier: .gregorian))
        await propertyCheck(count: 2000, input: Gen.int(in: -2_208_988_800...7_258_118_400)) { seconds in
            let date = Date(timeIntervalSince1970: TimeInterval(seconds))
            #expect(MailMessage.rfc5322Date(date) == date.formatted(oracle), "\(seconds)")
        }
        #expect(MailMessage.rfc5322Date(Date(timeIntervalSince1970: 1_796_069_920)) == "Mon, 30 Nov 2026 20:18:40 +0000")
    }

    @Test("the HTML part escapes the text, breaks lines and paragraphs, and makes the link line an anchor")
    func html() {
        let html = MailMessage.html("Sign \"A<B & C\".\n\nOpen:\nhttps://x.example/confirm/T?a=1&b=2\n\nBye", link: "https://x.example/confirm/T?a=1&b=2")
        #expect(html == "<!doctype html><html><body><p>Sign &quot;A&lt;B &amp; C&quot;.</p><p>Open:<br>"
            + "<a href=\"https://x.example/confirm/T?a=1&amp;b=2\">https://x.example/confirm/T?a=1&amp;b=2</a></p><p>Bye</p></body></html>")
    }

    @Test("every line ending becomes CRLF, and an existing CRLF is not doubled")
    func lineEndings() {
        #expect(MailMessage.crlf("a\nb\r\nc\n\nd\re") == "a\r\nb\r\nc\r\n\r\nd\re")
    }
}
