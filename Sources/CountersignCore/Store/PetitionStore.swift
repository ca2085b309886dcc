import Foundation

/// The petitions: their definitions, states and totals.
public protocol PetitionStore: Sendable {
    /// Adds a petition; refuses a slug that exists.
    func createPetition(_ petition: PetitionRecord) async throws(StoreError)

    /// Every petition, in slug order.
    func petitions() async throws(StoreError) -> [PetitionRecord]

    /// Every petition with its confirmed total, in slug order, read in one query.
    func petitionTotals() async throws(StoreError) -> [PetitionTotal]

    /// The petition `slug`, or `nil`.
    func petition(_ slug: PetitionSlug) async throws(StoreError) -> PetitionRecord?

    /// What ``PetitionAdmission`` decides from for a request naming `region` to petition `slug` (its state, its number
    /// of key layers, whether it lists the region), read in one small query, or `nil` when there is no such petition.
    /// ``SigningService`` checks its cached records against it on every request.
    func admission(_ slug: PetitionSlug, region: String?) async throws(StoreError) -> PetitionAdmission?

    /// Opens, pauses or closes a petition (``PetitionState/transition(to:of:)``). A closed petition cannot reopen.
    func setState(_ state: PetitionState, of slug: PetitionSlug, at date: Date) async throws(StoreError)
}
