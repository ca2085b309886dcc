import CountersignCrypto
import Foundation

/// `countersign keys list` as an aligned text table, one key a line.
enum KeyTable {
    static func render(_ listings: [KeyListing]) -> String {
        let header = ["KID", "PURPOSE", "STATUS", "CREATED", "NOT AFTER", "FINGERPRINT", ""]
        let rows = listings.map {
            [$0.kid, $0.purpose.rawValue, $0.status.rawValue, $0.created, $0.notAfter, $0.fingerprint, $0.rotationDue ? "rotation due" : ""]
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        return ([header] + rows).map { row in
            row.enumerated().map { column, cell in cell.padding(toLength: widths[column], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n")
    }
}
