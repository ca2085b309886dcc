import CountersignCore

/// The one place that words a signature count, so that every page (petition, index, dashboard) and the badge agree in
/// grammar ("1 confirmed signature", "0 confirmed signatures") and in how digits are grouped ("1,234").
enum CountWording {
    /// `count` in digits grouped by thousands with commas (`1234567` → `1,234,567`), as English pages write it. Grouped
    /// here rather than by a locale's formatter, so the page does not change with the server's locale.
    static func number(_ count: Int) -> String {
        var digits = Array(String(count.magnitude))
        var index = digits.count - 3
        while index > 0 {
            digits.insert(",", at: index)
            index -= 3
        }
        return (count < 0 ? "-" : "") + String(digits)
    }

    /// "signature" for exactly one, "signatures" for any other count, zero included.
    static func signatures(_ count: Int) -> String {
        count == 1 ? "signature" : "signatures"
    }

    /// "1 signature", "1,234 signatures": the badge's words.
    static func signatureCount(_ count: Int) -> String {
        "\(number(count)) \(signatures(count))"
    }

    /// The template fields for a confirmed count: `number` ("1,234") and `noun` ("confirmed signatures"), so a page can
    /// set the number apart (`<strong>{{count.number}}</strong> {{count.noun}}`).
    static func confirmed(_ count: Int) -> [String: String] {
        ["number": number(count), "noun": "confirmed \(signatures(count))"]
    }

    /// The template fields for the progress to the next milestone: `text` ("1,234 of 10,000 signatures"), and `value`
    /// and `max` for a `<progress>` element.
    static func milestone(_ progress: MilestoneProgress) -> [String: String] {
        [
            "text": "\(number(progress.count)) of \(number(progress.target)) \(signatures(progress.target))",
            "value": String(progress.count), "max": String(progress.target),
        ]
    }
}
