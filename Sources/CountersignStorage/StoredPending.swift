import CountersignCore
import Foundation

/// A pending confirmation or withdrawal as both database stores read it before consuming a token id: where it lives
/// (its petition's row id and its pseudonym, `nil` once consumed) beside what ``PendingConsumption`` decides from.
struct StoredPending: Sendable {
    let petitionID: Int64
    let pseudonym: Data?
    let row: PendingRow
}
