import CountersignCore
import Foundation

/// A pending confirmation or withdrawal joined with its petition, as both database stores read it before
/// consuming a token id.
struct PendingRow: Sendable {
    let petitionID: Int64
    let slug: PetitionSlug
    let state: PetitionState
    let pseudonym: Data
    let region: String?
    let expiresAt: Int64
    let consumed: Bool
}
