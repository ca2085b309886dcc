/// `countersign store check`: recounts every petition from its signature rows and compares the result with
/// the maintained aggregates. Petitions whose key was shredded are listed but not compared: their rows are
/// gone by design and their aggregates are frozen.
public struct StoreCheck: Sendable {
    public struct Difference: Sendable, Equatable {
        public let slug: PetitionSlug
        public let maintained: Aggregates
        public let recounted: Aggregates
    }

    public private(set) var checked: [PetitionSlug] = []
    public private(set) var shredded: [PetitionSlug] = []
    public private(set) var differences: [Difference] = []

    /// Whether every checked petition's aggregates equal its recount.
    public var passed: Bool { differences.isEmpty }

    /// Runs the check against `store`.
    public static func run(_ store: any PetitionStore & SignerLedger) async throws(StoreError) -> StoreCheck {
        var check = StoreCheck()
        for petition in try await store.petitions() {
            guard petition.keyShreddedAt == nil else {
                check.shredded.append(petition.slug)
                continue
            }
            check.checked.append(petition.slug)
            let recount = try await store.recount(petition.slug)
            if !recount.consistent {
                check.differences.append(Difference(slug: petition.slug, maintained: recount.maintained, recounted: recount.recounted))
            }
        }
        return check
    }

    /// A plain report: one PASS or FAIL line a petition, with the differing cells.
    public var report: String {
        var lines: [String] = []
        for slug in checked {
            guard let difference = differences.first(where: { $0.slug == slug }) else {
                lines.append("PASS \(slug): aggregates equal a recount")
                continue
            }
            let maintained = difference.maintained
            let recounted = difference.recounted
            lines.append("FAIL \(slug): maintained total \(maintained.total), recount \(recounted.total)")
            for day in Set(maintained.byDay.keys).union(recounted.byDay.keys).sorted()
            where maintained.byDay[day] != recounted.byDay[day] {
                lines.append("  day \(day): maintained \(maintained.byDay[day] ?? 0), recount \(recounted.byDay[day] ?? 0)")
            }
            for region in Set(maintained.byRegion.keys).union(recounted.byRegion.keys).sorted()
            where maintained.byRegion[region] != recounted.byRegion[region] {
                lines.append("  region \(region): maintained \(maintained.byRegion[region] ?? 0), recount \(recounted.byRegion[region] ?? 0)")
            }
        }
        for slug in shredded {
            lines.append("SKIP \(slug): key shredded, rows deleted, aggregates frozen")
        }
        lines.append(passed ? "store check: PASS (\(checked.count) petitions)" : "store check: FAIL (\(differences.count) of \(checked.count) petitions differ)")
        return lines.joined(separator: "\n")
    }
}
