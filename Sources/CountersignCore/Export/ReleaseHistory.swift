/// What the earlier exact releases of one breakdown gave away, which the next exact release must respect
/// (``Suppression/apply(_:k:history:)``):
/// - ``hidden``: cells an earlier release withheld. They stay withheld, so that two releases withholding different cells
///   cannot be subtracted from each other; a reader knows their sum from that release.
/// - ``shown``: cells an earlier release showed exactly. A reader knows them, so withholding one beside a small cell
///   hides nothing: they are never chosen as a complement.
public struct ReleaseHistory: Sendable, Equatable {
    public var hidden: Set<String>
    public var shown: Set<String>

    public init(hidden: Set<String> = [], shown: Set<String> = []) {
        self.hidden = hidden
        self.shown = shown
    }

    /// No earlier exact release, as for the first one or a noisy one.
    public static let none = ReleaseHistory()

    /// The history of the exact releases of `breakdown` among `releases`. A release's cells are those it covered
    /// (``Release/completed``); a region release recorded before it kept them covered every region, `keys`.
    public static func of(_ releases: [Release], breakdown: ExportBreakdown, keys: [String]) -> ReleaseHistory {
        var history = ReleaseHistory()
        for release in releases where release.breakdown == breakdown.rawValue && release.epsilonMicros == nil {
            let covered = breakdown == .day || !release.completed.isEmpty ? Array(release.completed.keys) : keys
            history.hidden.formUnion(release.hidden)
            history.shown.formUnion(covered.filter { !release.hidden.contains($0) })
        }
        history.shown.subtract(history.hidden)
        return history
    }
}
