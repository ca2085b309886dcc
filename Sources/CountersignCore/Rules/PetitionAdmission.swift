/// What a store reads of a petition, under its lock, before it stores a sign or a withdrawal request: the one place
/// that decides whether the request may be stored.
///
/// The checks run in one fixed order: the petition's state, then its re-keying layers, then the region
/// (`Docs/decisions.md` says why this order).
public struct PetitionAdmission: Sendable, Equatable {
    public var slug: PetitionSlug
    public var state: PetitionState
    /// How many re-keying layers the petition has now.
    public var layerCount: Int
    /// Whether the petition lists the request's region; `true` when the request names none.
    public var regionListed: Bool

    public init(slug: PetitionSlug, state: PetitionState, layerCount: Int, regionListed: Bool) {
        self.slug = slug
        self.state = state
        self.layerCount = layerCount
        self.regionListed = regionListed
    }

    /// The admission of a request naming `region` to `petition`, read from the whole record.
    public init(_ petition: PetitionRecord, region: String?) {
        self.init(
            slug: petition.slug, state: petition.state, layerCount: petition.keyLayers.count,
            regionListed: region.map(petition.regions.contains) ?? true)
    }

    /// Returns the row to store for `request`, made for `purpose`, or throws the refusal: a petition whose state
    /// takes no such request (``StoreError/notOpen(_:_:)``), a pseudonym computed with other layers than the
    /// petition has now (``StoreError/rekeyed(_:)``), or a region the petition does not list
    /// (``StoreError/invalidRegion(_:)``), which only a sign is asked for. A withdrawal keeps no region.
    public func admit(_ request: PendingRequest, for purpose: TokenPurpose) throws(StoreError) -> PendingRequest {
        try check(purpose, keyLayers: request.keyLayers)
        var admitted = request
        if purpose == .withdraw { admitted.region = nil }
        return admitted
    }

    /// Throws the refusal of a request made for `purpose` with a pseudonym of `keyLayers` layers, in the order
    /// state, layers, region (a sign's only); ``SigningService`` asks before it computes a pseudonym, the store again under its lock.
    public func check(_ purpose: TokenPurpose, keyLayers: Int) throws(StoreError) {
        guard state.takes(purpose) else { throw .notOpen(slug, state) }
        guard layerCount == keyLayers else { throw .rekeyed(slug) }
        guard purpose == .withdraw || regionListed else { throw .invalidRegion(slug) }
    }
}
