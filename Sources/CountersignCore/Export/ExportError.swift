/// Why an export was refused. The description says what to ask for instead.
///
/// A struct around a private enum, so that new reasons do not break callers that match on the static members.
public struct ExportError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Internal: Hashable, Sendable {
        case invalidK
        case kBelowMinimum(Int)
        case kAboveMaximum(Int)
        case invalidEpsilon
        case invalidBreakdown
        case invalidFormat
        case noRegions
        case tooManyDays(Int)
        case noSafeComplement
        case randomnessFailed(String)
        case encodingFailed(String)
    }

    private let value: Internal

    /// The suppression threshold `k` was not a whole number of at least 2.
    public static var invalidK: Self { .init(value: .invalidK) }
    /// `k` was below the operator's minimum cell size `minimum`.
    public static func kBelowMinimum(_ minimum: Int) -> Self { .init(value: .kBelowMinimum(minimum)) }
    /// `k` was above the operator's cap `maximum`.
    public static func kAboveMaximum(_ maximum: Int) -> Self { .init(value: .kAboveMaximum(maximum)) }
    /// The privacy parameter ε was not a positive decimal of the accepted form.
    public static var invalidEpsilon: Self { .init(value: .invalidEpsilon) }
    /// The breakdown was not one of ``ExportBreakdown``'s names.
    public static var invalidBreakdown: Self { .init(value: .invalidBreakdown) }
    /// The format was not one of ``ExportFormat``'s names.
    public static var invalidFormat: Self { .init(value: .invalidFormat) }
    /// A breakdown by region was asked of a petition that lists no regions.
    public static var noRegions: Self { .init(value: .noRegions) }
    /// A breakdown by day would have `days` rows, more than ``ExportTable/maximumDays``.
    public static func tooManyDays(_ days: Int) -> Self { .init(value: .tooManyDays(days)) }
    /// Every cell that could be withheld beside a new small cell was shown by an earlier release (``Suppression``).
    public static var noSafeComplement: Self { .init(value: .noSafeComplement) }
    /// The random number generator failed while drawing noise; `reason` carries the ``CryptoError`` text.
    public static func randomnessFailed(_ reason: String) -> Self { .init(value: .randomnessFailed(reason)) }
    /// The JSON encoder failed; `reason` carries its error text.
    public static func encodingFailed(_ reason: String) -> Self { .init(value: .encodingFailed(reason)) }

    /// Whether the request was well formed but conflicts with what earlier releases showed (an HTTP 409).
    public var isConflict: Bool { value == .noSafeComplement }

    /// Whether the failure is ours (randomness or encoding), not the request's.
    public var isServerFault: Bool {
        switch value {
        case .randomnessFailed, .encodingFailed: true
        default: false
        }
    }

    /// What was refused and what to ask for instead; safe to show to the person exporting.
    public var description: String {
        switch value {
        case .invalidK:
            "k must be at least 2: a whole number of signatures below which a cell is hidden (the default is \(Suppression.defaultK))"
        case .kBelowMinimum(let minimum):
            "k cannot be below this service's minimum cell size, \(minimum); ask for k=\(minimum) or more"
        case .kAboveMaximum(let maximum):
            "k cannot be above \(maximum): a day or region hidden by an exact release stays hidden in every later one, so one huge k would hide them for good; ask for k=\(maximum) or less"
        case .invalidEpsilon:
            "epsilon must be a positive decimal of at most 100 with at most 6 decimal places, such as 0.5, 1 or 2.25"
        case .invalidBreakdown:
            "by must be one of \(ExportBreakdown.allCases.map(\.rawValue).joined(separator: ", "))"
        case .invalidFormat:
            "format must be one of \(ExportFormat.allCases.map(\.rawValue).joined(separator: ", "))"
        case .noRegions:
            "this petition asks for no region; export by=total or by=day"
        case .tooManyDays(let days):
            "a breakdown by day would have \(days) rows, more than \(ExportTable.maximumDays); export by=total or by=region"
        case .noSafeComplement:
            "the cells that could be withheld beside the small ones hold fewer than k signatures between them (an earlier release showed the others, or there are too few signatures yet), so this release would pin a count below k; release it when more signatures have come in, or export by=total"
        case .randomnessFailed(let reason):
            "drawing the noise failed (\(reason)); try the export again"
        case .encodingFailed(let reason):
            "encoding the export as JSON failed (\(reason)); report this as a bug"
        }
    }
}
