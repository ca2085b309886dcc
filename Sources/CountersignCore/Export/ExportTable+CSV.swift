import Foundation

extension ExportTable {
    /// The table as RFC 4180 CSV, in the layout that ``ExportTable`` documents.
    public func csv() -> String {
        let rows: [[String]]
        switch breakdown {
        case .total:
            rows = [["petition", "signatures"], [Self.csvField(petition.value), String(total)]]
        case .day, .region:
            let cellRows = cells.map { [Self.csvField($0.key), $0.count.map(String.init) ?? "<\(k)"] }
            rows = [[breakdown.rawValue, "signatures"]] + cellRows + [["total", String(total)]]
        }
        return rows.map { $0.joined(separator: ",") + "\r\n" }.joined()
    }

    /// `text` as one CSV field: neutralised against spreadsheet formulas, then quoted if RFC 4180 requires it.
    static func csvField(_ text: String) -> String {
        var field = text
        if let first = field.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) {
            field = "'" + field
        }
        if field.unicodeScalars.contains(where: { ",\"\r\n".unicodeScalars.contains($0) }) {
            field = "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return field
    }
}
