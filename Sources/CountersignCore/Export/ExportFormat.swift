/// The file format of an export: its `format` parameter. ``ExportTable`` documents both layouts.
public enum ExportFormat: String, Sendable, Hashable, CaseIterable {
    /// RFC 4180 CSV with CRLF line ends.
    case csv
    /// A JSON object with sorted keys.
    case json

    /// The format named `text` (`csv` or `json`).
    public init(parsing text: String) throws(ExportError) {
        guard let format = Self(rawValue: text) else { throw .invalidFormat }
        self = format
    }

    /// The HTTP `Content-Type` of an export in this format.
    public var contentType: String {
        switch self {
        case .csv: "text/csv; charset=utf-8; header=present"
        case .json: "application/json"
        }
    }

    /// The file name extension of an export in this format, without the dot.
    public var fileExtension: String { rawValue }
}
