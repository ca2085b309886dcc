import CountersignCore

/// The dashboard's chart of confirmed signatures per UTC day: an SVG drawn on the server, so the page needs no
/// script and makes no request elsewhere. It draws the same suppressed cells the exports publish: a day below k
/// is a grey stub labelled "fewer than k", never its count.
enum DayChart {
    static let width = 720
    static let height = 220
    private static let top = 10, bottom = 30, left = 40

    /// The SVG of `table`, a breakdown by day.
    static func svg(_ table: ExportTable) -> String {
        let cells = table.cells
        let plotHeight = height - top - bottom
        let largest = max(1, cells.compactMap(\.count).max() ?? 1)
        let step = Double(width - left) / Double(max(1, cells.count))
        let barWidth = max(1.0, step * 0.8)
        var parts: [String] = [
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-labelledby=\"chart-title\">",
            "<title id=\"chart-title\">Confirmed signatures per day, \(HTMLEscaping.escape(table.petition.value))</title>",
            "<line x1=\"\(left)\" y1=\"\(top + plotHeight)\" x2=\"\(width)\" y2=\"\(top + plotHeight)\" stroke=\"#888\"/>",
            "<text x=\"\(left - 4)\" y=\"\(top + 10)\" font-size=\"11\" text-anchor=\"end\" fill=\"#555\">\(largest)</text>",
            "<text x=\"\(left - 4)\" y=\"\(top + plotHeight)\" font-size=\"11\" text-anchor=\"end\" fill=\"#555\">0</text>",
        ]
        for (index, cell) in cells.enumerated() {
            let x = Double(left) + Double(index) * step
            let label = HTMLEscaping.escape(cell.key)
            if let count = cell.count {
                let barHeight = Double(plotHeight) * Double(count) / Double(largest)
                parts.append(
                    "<rect x=\"\(format(x))\" y=\"\(format(Double(top + plotHeight) - barHeight))\" width=\"\(format(barWidth))\" height=\"\(format(barHeight))\" fill=\"#3a6ea5\"><title>\(label): \(count)</title></rect>")
            } else {
                parts.append(
                    "<rect x=\"\(format(x))\" y=\"\(top + plotHeight - 4)\" width=\"\(format(barWidth))\" height=\"4\" fill=\"#bbb\"><title>\(label): fewer than \(table.k)</title></rect>")
            }
        }
        if let first = cells.first, let last = cells.last {
            parts.append("<text x=\"\(left)\" y=\"\(height - 10)\" font-size=\"11\" fill=\"#555\">\(HTMLEscaping.escape(first.key))</text>")
            parts.append("<text x=\"\(width)\" y=\"\(height - 10)\" font-size=\"11\" text-anchor=\"end\" fill=\"#555\">\(HTMLEscaping.escape(last.key))</text>")
        }
        parts.append("</svg>")
        return parts.joined(separator: "\n")
    }

    private static func format(_ value: Double) -> String {
        String(Double((value * 10).rounded()) / 10)
    }
}
