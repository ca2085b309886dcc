/// A petition with its confirmed total, as listings show it.
public struct PetitionTotal: Sendable, Equatable {
    public let petition: PetitionRecord
    public let total: Int

    public init(petition: PetitionRecord, total: Int) {
        self.petition = petition
        self.total = total
    }
}
