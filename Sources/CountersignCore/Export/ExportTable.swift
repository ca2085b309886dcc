import CountersignCrypto
import Foundation

/// The anonymized export of one petition's counts: its exact total and, by day or by region, cells that
/// ``Suppression`` has made safe to publish, optionally after ``DiscreteLaplace`` noise.
///
/// The cells of a breakdown add up to the total before noise:
/// - `day`: one cell per completed UTC day, oldest first, from the petition's creation day to its closing day (or
///   yesterday while it is open: today's partial count is in the total only), days without signatures included with
///   count 0, the range widened to any earlier day that has signatures. At most ``maximumDays`` rows.
/// - `region`: one cell per region the petition lists, in its order, then ``noRegionKey`` for signatures without a
///   region (the total minus the listed regions' counts, never negative).
/// - `total`: no cells.
///
/// With ε, each cell's count becomes `max(0, count + noise)` before suppression; the total stays exact.
///
/// The two renderings are a public contract; change them only with a new column or key, never a renamed one.
///
/// CSV (``csv()``, RFC 4180, every line ending in CRLF, the last included), by day:
/// ```
/// day,signatures
/// 2026-11-01,12
/// 2026-11-02,<10
/// total,57
/// ```
/// By region the header is `region,signatures`; by total it is `petition,signatures` followed by one row
/// `SLUG,N`. A suppressed count is written `<k`. The last row of a day or region table is always `total,N`.
/// A field that starts with `=`, `+`, `-`, `@`, tab or CR gets a leading `'`, so that spreadsheets do not run
/// it as a formula; a field holding a comma, a double quote, CR or LF is then quoted, its quotes doubled. The
/// counts are written as plain digits.
///
/// JSON (``json()``), one object with sorted keys, no insignificant whitespace and unescaped slashes:
/// ```
/// {"by":"day","cells":[{"day":"2026-11-01","signatures":12,"suppressed":false},
///  {"day":"2026-11-02","signatures":null,"suppressed":true}],"generated":"2026-11-20","k":10,
///  "noise":{"epsilon":"0.5","mechanism":"discrete-laplace"},"petition":"SLUG","total":57}
/// ```
/// `by` is `total`, `day` or `region`; a cell's key is named `day` or `region` after it, and `cells` is `[]` by
/// total. `signatures` is `null` exactly when `suppressed` is true. `noise` is `null` without ε. `generated` is
/// the UTC day of the export.
public struct ExportTable: Sendable, Hashable {
    /// The most rows a breakdown by day may have: ten years.
    public static let maximumDays = 3660
    /// The key of the region cell that counts signatures without a region.
    public static let noRegionKey = "(none)"

    /// The petition exported.
    public let petition: PetitionSlug
    /// How the signatures are divided.
    public let breakdown: ExportBreakdown
    /// The suppression threshold: every shown count is at least `k`.
    public let k: Int
    /// The privacy parameter of the noise added to the cells, or `nil` for exact cells.
    public let epsilon: Epsilon?
    /// The exact number of confirmed signatures; never noised.
    public let total: Int
    /// The UTC day (`YYYY-MM-DD`) the export was made.
    public let generated: String
    /// The breakdown, after noise and suppression; empty by total.
    public let cells: [ExportCell]

    /// The export of `petition` with counts `aggregates`, divided by `breakdown`.
    ///
    /// - Parameters:
    ///   - k: the suppression threshold, at least 2.
    ///   - epsilon: when given, each cell gets one draw of `noise` before suppression.
    ///   - today: the current time; it ends the day range of a petition that is not closed.
    ///   - history: what the earlier exact releases of this breakdown hid and showed (``Suppression/apply(_:k:history:)``).
    ///   - noise: the noise for one cell; tests replace the default ``DiscreteLaplace`` sampler.
    public static func make(
        petition: PetitionRecord, aggregates: Aggregates, breakdown: ExportBreakdown, k: Int = Suppression.defaultK,
        epsilon: Epsilon? = nil, today: Date, history: ReleaseHistory = .none,
        noise: (Epsilon) throws(CryptoError) -> Int = DiscreteLaplace.sample(epsilon:)
    ) throws(ExportError) -> ExportTable {
        let k = try Suppression.checkedK(k)
        var counts: [(key: String, count: Int)]
        switch breakdown {
        case .total: counts = []
        case .day: counts = try dayCounts(petition, aggregates, today: today)
        case .region: counts = try regionCounts(petition, aggregates)
        }
        if let epsilon {
            for index in counts.indices {
                do throws(CryptoError) {
                    let draw = try noise(epsilon)
                    counts[index].count = max(0, counts[index].count + draw)
                } catch {
                    throw .randomnessFailed(error.description)
                }
            }
        }
        let cells: [ExportCell]
        if epsilon == nil {
            cells = try Suppression.apply(counts, k: k, history: history)
        } else if counts.count > 1, let suppressed = try? Suppression.apply(counts, k: k) {
            cells = suppressed
        } else {
            // With noise, the noise protects the cells: a lone cell (which equals the exact total, so showing it would
            // release an exact and a noisy value of one cell) or a table whose small cells cannot be withheld together
            // with k is withheld entirely rather than refused.
            cells = counts.map { ExportCell(key: $0.key, count: nil) }
        }
        return ExportTable(
            petition: petition.slug, breakdown: breakdown, k: k, epsilon: epsilon, total: aggregates.total,
            generated: UTCDay.of(today), cells: cells
        )
    }

    /// The table in `format`.
    public func render(_ format: ExportFormat) throws(ExportError) -> String {
        switch format {
        case .csv: csv()
        case .json: try json()
        }
    }

    private static let secondsPerDay = 86_400.0

    private static func dayNumber(_ date: Date) -> Int {
        Int((date.timeIntervalSince1970 / secondsPerDay).rounded(.down))
    }

    private static func dayCounts(
        _ petition: PetitionRecord, _ aggregates: Aggregates, today: Date
    ) throws(ExportError) -> [(key: String, count: Int)] {
        // Completed days only: while a petition is open, today's partial count is in the total alone, so a release
        // never shows a cell that is still moving. A closed petition's last day is complete.
        let end = petition.closedAt.map(dayNumber) ?? (dayNumber(today) - 1)
        var first = dayNumber(petition.createdAt)
        var last = end
        // A signature dated outside the petition's dates still gets its row, so that the cells add up to the total.
        for day in aggregates.byDay.keys.compactMap(UTCDay.date).map(dayNumber) where day <= end || petition.closedAt != nil {
            first = min(first, day)
            last = max(last, day)
        }
        guard last >= first else { return [] }
        let days = last - first + 1
        guard days <= maximumDays else { throw .tooManyDays(days) }
        return (first...last).map { number in
            let key = UTCDay.of(Date(timeIntervalSince1970: Double(number) * secondsPerDay))
            return (key, aggregates.byDay[key] ?? 0)
        }
    }

    /// The keys of a region table: the petition's regions, then ``noRegionKey``.
    public static func regionKeys(_ petition: PetitionRecord) -> [String] {
        petition.regions + [noRegionKey]
    }

    private static func regionCounts(_ petition: PetitionRecord, _ aggregates: Aggregates) throws(ExportError) -> [(key: String, count: Int)] {
        guard !petition.regions.isEmpty else { throw .noRegions }
        let listed = petition.regions.map { (key: $0, count: aggregates.byRegion[$0] ?? 0) }
        let withoutRegion = max(0, aggregates.total - listed.reduce(0) { $0 + $1.count })
        return listed + [(key: noRegionKey, count: withoutRegion)]
    }
}
