/// One petition's wrapped keys before and after a master-key re-wrap.
public struct WrappedKeyChange: Sendable, Equatable {
    public let slug: PetitionSlug
    public let from: [WrappedPetitionKey]
    public let to: [WrappedPetitionKey]

    /// - Parameters:
    ///   - from: the base key followed by the layers, as read;
    ///   - to: the same keys wrapped under the new master, in the same order.
    public init(slug: PetitionSlug, from: [WrappedPetitionKey], to: [WrappedPetitionKey]) {
        self.slug = slug
        self.from = from
        self.to = to
    }
}
