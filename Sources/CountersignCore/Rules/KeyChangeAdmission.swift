import Foundation

/// What a store reads of a petition, under its lock, before it shreds the petition's key or re-keys it.
public struct KeyChangeAdmission: Sendable, Equatable {
    public var slug: PetitionSlug
    public var state: PetitionState
    /// Whether the wrapped key is gone already.
    public var shredded: Bool
    public var layerCount: Int

    public init(slug: PetitionSlug, state: PetitionState, shredded: Bool, layerCount: Int) {
        self.slug = slug
        self.state = state
        self.shredded = shredded
        self.layerCount = layerCount
    }

    public init(_ petition: PetitionRecord) {
        self.init(slug: petition.slug, state: petition.state, shredded: petition.wrappedKey == nil, layerCount: petition.keyLayers.count)
    }

    /// Refuses to shred the key of a petition that is not closed; otherwise returns the count-log event the shred
    /// adds, dated `date`: a `shred` the first time, nothing when the key is gone already, so that the log ends once
    /// (a second `shred` leaf would break its order for good).
    public func admitShred(at date: Date) throws(StoreError) -> PendingCountEvent? {
        guard state == .closed else { throw .shredBeforeClose(slug, state) }
        return shredded ? nil : PendingCountEvent(.shred, hour: date)
    }

    /// Refuses to re-key a shredded petition, or one whose layer count is no longer `layers` (a re-key running at the
    /// same time got there first).
    public func admitRekey(after layers: Int) throws(StoreError) {
        guard !shredded else { throw .rekeyShredded(slug) }
        guard layerCount == layers else { throw .rekeyed(slug) }
    }
}
