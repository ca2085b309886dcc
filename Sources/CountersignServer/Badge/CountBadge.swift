/// The count badge (`/petitions/{slug}/count.svg`): an SVG image another site can embed with `<img>`, showing the
/// confirmed count in the words of the pages (``CountWording``) and naming the petition in its `<title>`.
///
/// It draws with presentation attributes only (no `style` element or attribute, no script, no external font or image),
/// so no Content-Security-Policy of ours or of the embedding page stops any part of it.
enum CountBadge {
    static let height = 20
    /// The width of one character of the 11-pixel label, generous for digits and lower-case letters; the text is then
    /// fitted to the box exactly (`textLength`), whatever font the viewer has.
    private static let characterWidth = 7
    private static let padding = 8

    /// The badge for `count` confirmed signatures of the petition titled `title`.
    static func svg(count: Int, title: String) -> String {
        let label = CountWording.signatureCount(count)
        let name = text("\(title): \(label)")
        let textWidth = label.count * characterWidth
        let width = textWidth + 2 * padding
        return """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" viewBox="0 0 \(width) \(height)" \
            role="img" aria-label="\(name)">
            <title>\(name)</title>
            <rect width="\(width)" height="\(height)" rx="3" fill="#3a6ea5"/>
            <text x="\(width / 2)" y="14" fill="#fff" font-family="Verdana, DejaVu Sans, sans-serif" font-size="11" \
            text-anchor="middle" textLength="\(textWidth)" lengthAdjust="spacingAndGlyphs">\(text(label))</text>
            </svg>

            """
    }

    /// `string` escaped for XML text and attribute values, without the control characters XML 1.0 forbids (a title is
    /// the organizer's text; one stray control character would make the whole image unreadable).
    private static func text(_ string: String) -> String {
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: string.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0xFFFE && $0.value != 0xFFFF })
        return HTMLEscaping.escape(String(scalars))
    }
}
