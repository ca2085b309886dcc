import CountersignCore
import CountersignCrypto
import Foundation
import PropertyBased
import Testing

@Suite("Export")
struct ExportTests {
    static func day(_ text: String, hour: Double = 0) -> Date {
        UTCDay.date(text)!.addingTimeInterval(hour * 3600)
    }

    static func petition(_ slug: String = "water", regions: [String] = [], created: Date, closed: Date? = nil) throws -> PetitionRecord {
        try PetitionRecord(
            slug: PetitionSlug(slug), title: "Clean water", text: "Fix the pipes.", regions: regions, salt: [], wrappedKey: nil,
            state: closed == nil ? .open : .closed, createdAt: created, closedAt: closed
        )
    }

    static func shown(_ cells: [ExportCell]) -> [String: Int] {
        Dictionary(uniqueKeysWithValues: cells.compactMap { cell in cell.count.map { (cell.key, $0) } })
    }

    /// The guarantee of the exact (noise-free) table: no shown count below k, and the hidden cells are all of them,
    /// or at least two that share at least k signatures, so that total minus the shown cells pins none of them.
    static func expectSafe(_ table: ExportTable, sourceLocation: SourceLocation = #_sourceLocation) {
        let shownCounts = table.cells.compactMap(\.count)
        let hidden = table.cells.filter(\.suppressed)
        if table.cells.count > 1 {
            #expect(shownCounts.allSatisfy { $0 >= table.k }, sourceLocation: sourceLocation)
        }
        if !hidden.isEmpty {
            #expect(hidden.count >= 2, sourceLocation: sourceLocation)
            #expect(table.total - shownCounts.reduce(0, +) >= table.k, sourceLocation: sourceLocation)
        }
    }

    // MARK: - Suppression

    @Test("a cell below k is hidden together with the smallest other cell")
    func oneSmallCell() throws {
        let cells = try Suppression.apply([("a", 20), ("b", 3), ("c", 15), ("d", 30)], k: 10)
        #expect(cells == [.init(key: "a", count: 20), .init(key: "b", count: nil), .init(key: "c", count: nil), .init(key: "d", count: 30)])
    }

    @Test("two small cells that sum below k force a third to be hidden")
    func twoSmallCells() throws {
        let cells = try Suppression.apply([("a", 4), ("b", 3), ("c", 12), ("d", 11)], k: 10)
        #expect(cells.map(\.count) == [nil, nil, 12, nil])
        #expect(try Suppression.apply([("a", 6), ("b", 7), ("c", 40)], k: 10).map(\.count) == [nil, nil, 40])
    }

    @Test("zero cells are hidden, and hiding them alone is not enough; a table whose withheld cells cannot reach k is refused")
    func zeros() throws {
        #expect(try Suppression.apply([("a", 0), ("b", 0), ("c", 25), ("d", 50)], k: 10).map(\.count) == [nil, nil, nil, 50])
        // Two cells summing below k cannot protect each other, and nothing else is left to withhold: refused.
        #expect(throws: ExportError.noSafeComplement) { try Suppression.apply([("a", 0), ("b", 0)], k: 10) }
    }

    @Test("equal complement candidates: the first in order is hidden; large cells stay; one cell is shown")
    func tiesAndEdges() throws {
        #expect(try Suppression.apply([("a", 5), ("b", 20), ("c", 20)], k: 10).map(\.count) == [nil, nil, 20])
        #expect(try Suppression.apply([("a", 10), ("b", 11)], k: 10).map(\.count) == [10, 11])
        #expect(throws: ExportError.noSafeComplement) { try Suppression.apply([("a", 2), ("b", 3)], k: 10) }
        #expect(try Suppression.apply([("only", 3)], k: 10) == [.init(key: "only", count: 3)])
        #expect(try Suppression.apply([], k: 10).isEmpty)
    }

    @Test("k is a whole number of at least 2, 10 by default")
    func kValidation() throws {
        #expect(Suppression.defaultK == 10)
        #expect(try Suppression.parseK("10") == 10)
        #expect(try Suppression.checkedK(2) == 2)
        for text in ["1", "0", "-5", "", "ten", "+3", "2.5", "99999999999999999999999"] {
            #expect(throws: ExportError.invalidK) { try Suppression.parseK(text) }
        }
        #expect(ExportError.invalidK.description.hasPrefix("k must be at least 2"))
    }

    @Test("suppression never shows a cell below k, hides all or at least two cells summing to k or more, and shows exact counts")
    func suppressionProperty() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0...40).array(of: 1...12), Gen.int(in: 2...15)) { counts, k in
            let input = counts.enumerated().map { (key: "cell\($0.offset)", count: $0.element) }
            // propertyCheck swallows an error thrown by its body, so the refusal is caught and checked here.
            let cells: [ExportCell]
            do throws(ExportError) {
                cells = try Suppression.apply(input, k: k)
            } catch {
                // Refused only when the cells that would be withheld cannot reach k together.
                #expect(error == .noSafeComplement)
                #expect(counts.filter { $0 < k }.count >= 1 && counts.reduce(0, +) < k, "refused \(counts) at k=\(k)")
                return
            }
            #expect(cells.map(\.key) == input.map(\.key))
            for (cell, original) in zip(cells, counts) where !cell.suppressed {
                #expect(cell.count == original)
                if counts.count > 1 { #expect(original >= k) }
            }
            let hiddenCounts = zip(cells, counts).filter { $0.0.suppressed }.map(\.1)
            if !hiddenCounts.isEmpty && hiddenCounts.count < counts.count {
                #expect(hiddenCounts.count >= 2)
                #expect(hiddenCounts.reduce(0, +) >= k)
            }
        }
    }

    // MARK: - Epsilon and the random sources

    @Test("epsilon parses to an exact fraction and prints normalised")
    func epsilonParsing() throws {
        let cases: [(String, Int, Int, String)] = [
            ("0.5", 1, 2, "0.5"), ("1", 1, 1, "1"), ("2.25", 9, 4, "2.25"), ("0.50", 1, 2, "0.5"), ("007.000", 7, 1, "7"),
            ("0.000001", 1, 1_000_000, "0.000001"), ("100", 100, 1, "100"), ("0.125", 1, 8, "0.125"),
            ("99.999999", 99_999_999, 1_000_000, "99.999999"),
        ]
        for (text, numerator, denominator, description) in cases {
            let epsilon = try Epsilon(text)
            #expect(epsilon.numerator == numerator && epsilon.denominator == denominator, "\(text)")
            #expect(epsilon.description == description)
            #expect(abs(epsilon.value - Double(numerator) / Double(denominator)) < 1e-12)
        }
        for text in ["", "0", "0.0", "-1", ".5", "1.", "1e3", "0.0000001", "100.000001", "101", "1,5", " 1", "1.2.3", "\u{0661}", "inf"] {
            #expect(throws: ExportError.invalidEpsilon, "\(text)") { try Epsilon(text) }
        }
        #expect(ExportError.invalidEpsilon.description.contains("such as 0.5, 1 or 2.25"))
    }

    @Test("SecureRandom.uniform(below:) stays below its bound and is even over a small bound")
    func uniformBelow() throws {
        for _ in 0..<100 { #expect(try SecureRandom.uniform(below: 1) == 0) }
        let huge = UInt64(1) << 63 + 1  // the bound that rejects most: almost half of all 64-bit words
        for _ in 0..<1000 { #expect(try SecureRandom.uniform(below: huge) < huge) }
        var tally = [0, 0, 0]
        let draws = 30_000
        for _ in 0..<draws { tally[Int(try SecureRandom.uniform(below: 3))] += 1 }
        // Each count is binomial(30000, 1/3): sd ≈ 81.6, so 6 sd is about 490.
        let sd = (Double(draws) * (1.0 / 3) * (2.0 / 3)).squareRoot()
        for count in tally { #expect(abs(Double(count) - Double(draws) / 3) < 6 * sd, "\(tally)") }
    }

    @Test("the sampler follows the exact algorithm on a fixed uniform source")
    func fixedSource() throws {
        // With every draw the largest allowed value: U = t-1 = 3 is accepted (Bernoulli(3/4) says no at once),
        // V = 0 (Bernoulli(1/2) fails at K = 2), and the sign bit is 1, so ε = 1/4 gives -3.
        let sampler = DiscreteLaplace(epsilon: try Epsilon("0.25"), uniform: { bound in bound - 1 })
        #expect(try sampler.sample() == -3)
    }

    @Test("discrete Laplace noise has mean 0, variance 2p/(1-p)^2 and P(0) = (1-p)/(1+p), p = exp(-epsilon)", arguments: ["1", "0.5", "1.5", "2.25"])
    func laplaceStatistics(epsilonText: String) throws {
        let epsilon = try Epsilon(epsilonText)
        let sampler = DiscreteLaplace(epsilon: epsilon)
        let n = 20_000
        let samples = try (0..<n).map { _ in try sampler.sample() }

        let p = exp(-epsilon.value)
        let zeroProbability = (1 - p) / (1 + p)
        let variance = 2 * p / ((1 - p) * (1 - p))
        // The fourth moment, summed from the probabilities, bounds the spread of the sample variance.
        let fourthMoment = (1...400).reduce(0.0) { $0 + 2 * zeroProbability * pow(p, Double($1)) * pow(Double($1), 4) }

        let mean = Double(samples.reduce(0, +)) / Double(n)
        let sampleVariance = samples.reduce(0.0) { $0 + Double($1 * $1) } / Double(n)
        let zeroShare = Double(samples.count(where: { $0 == 0 })) / Double(n)
        #expect(abs(mean) < 6 * (variance / Double(n)).squareRoot(), "mean \(mean)")
        let varianceSD = ((fourthMoment - variance * variance) / Double(n)).squareRoot()
        #expect(abs(sampleVariance - variance) < 6 * varianceSD, "variance \(sampleVariance) vs \(variance)")
        #expect(abs(zeroShare - zeroProbability) < 6 * (zeroProbability * (1 - zeroProbability) / Double(n)).squareRoot(), "P(0) \(zeroShare)")
        #expect(abs(samples.count(where: { $0 > 0 }) - samples.count(where: { $0 < 0 })) < Int(6 * Double(n).squareRoot()))
    }

    // MARK: - Tables

    @Test("by day: one row per UTC day from creation to closing, zero days included, nothing below k")
    func dayTable() throws {
        let petition = try Self.petition(created: Self.day("2026-11-01", hour: 9), closed: Self.day("2026-11-10", hour: 18))
        let byDay = ["2026-11-01": 25, "2026-11-02": 3, "2026-11-04": 12, "2026-11-05": 40, "2026-11-06": 1, "2026-11-10": 15]
        let aggregates = Aggregates(total: 96, byDay: byDay)
        let table = try ExportTable.make(petition: petition, aggregates: aggregates, breakdown: .day, today: Self.day("2026-11-20", hour: 12))

        #expect(table.cells.map(\.key) == (1...10).map { String(format: "2026-11-%02d", $0) })
        #expect(Self.shown(table.cells) == ["2026-11-01": 25, "2026-11-05": 40, "2026-11-10": 15])
        #expect(table.total == 96 && table.k == 10 && table.generated == "2026-11-20")
        Self.expectSafe(table)

        let lines = table.csv().components(separatedBy: "\r\n")
        #expect(lines.first == "day,signatures")
        #expect(lines.suffix(2) == ["total,96", ""])
        for line in lines.dropFirst().dropLast(2) {
            let count = try #require(line.split(separator: ",").last)
            #expect(count == "<10" || Int(count).map { $0 >= 10 } == true, "\(line)")
        }

        let json = try table.json()
        let firstCells = #"{"day":"2026-11-01","signatures":25,"suppressed":false},{"day":"2026-11-02","signatures":null,"suppressed":true}"#
        #expect(json.hasPrefix(#"{"by":"day","cells":["# + firstCells))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["petition", "by", "k", "total", "generated", "noise", "cells"])
        #expect(object["noise"] is NSNull)
        let cells = try #require(object["cells"] as? [[String: Any]])
        #expect(cells.count == 10)
        for cell in cells {
            #expect(Set(cell.keys) == ["day", "signatures", "suppressed"])
            if let count = cell["signatures"] as? Int { #expect(count >= 10) } else { #expect(cell["signatures"] is NSNull) }
        }
    }

    @Test("by day: an open petition runs to yesterday, today's partial count being in the total only; a range over ten years is refused")
    func dayRange() throws {
        let open = try Self.petition(created: Self.day("2026-11-18", hour: 23))
        let table = try ExportTable.make(
            petition: open, aggregates: Aggregates(total: 18, byDay: ["2026-11-18": 6, "2026-11-19": 7, "2026-11-20": 5]), breakdown: .day,
            today: Self.day("2026-11-20", hour: 1))
        #expect(table.cells.map(\.key) == ["2026-11-18", "2026-11-19"])
        #expect(table.total == 18)
        #expect(table.cells.allSatisfy { $0.suppressed })

        let old = try Self.petition(created: Self.day("2010-01-01"))
        let today = Self.day("2026-11-20")
        #expect(throws: ExportError.tooManyDays(6167)) {
            try ExportTable.make(petition: old, aggregates: Aggregates(), breakdown: .day, today: today)
        }
    }

    @Test("by region: listed regions in order, then (none); CSV quotes and neutralises region names; exact JSON")
    func regionTable() throws {
        let petition = try Self.petition(regions: ["North", "South", "East, upper", "=cmd"], created: Self.day("2026-11-01"))
        let aggregates = Aggregates(total: 70, byRegion: ["North": 30, "South": 4, "East, upper": 12, "=cmd": 11])
        let table = try ExportTable.make(petition: petition, aggregates: aggregates, breakdown: .region, today: Self.day("2026-11-20"))
        Self.expectSafe(table)
        #expect(table.cells.map(\.key) == ["North", "South", "East, upper", "=cmd", "(none)"])
        #expect(Self.shown(table.cells) == ["North": 30, "East, upper": 12, "(none)": 13])

        #expect(table.csv() == "region,signatures\r\nNorth,30\r\nSouth,<10\r\n\"East, upper\",12\r\n'=cmd,<10\r\n(none),13\r\ntotal,70\r\n")
        #expect(try table.render(.csv) == table.csv())
        #expect(
            try table.json() == """
                {"by":"region","cells":[{"region":"North","signatures":30,"suppressed":false},\
                {"region":"South","signatures":null,"suppressed":true},\
                {"region":"East, upper","signatures":12,"suppressed":false},\
                {"region":"=cmd","signatures":null,"suppressed":true},\
                {"region":"(none)","signatures":13,"suppressed":false}],\
                "generated":"2026-11-20","k":10,"noise":null,"petition":"water","total":70}
                """)
    }

    @Test("CSV fields: formulas get a quote mark, commas, quotes and line breaks get RFC 4180 quoting")
    func csvInjection() throws {
        let regions = ["-1+2", "@SUM(A1)", "+x", "He said \"hi\"", "two\nlines", "\tTabbed", "=1,2", "plain/text"]
        let petition = try Self.petition(regions: regions, created: Self.day("2026-11-01"))
        let aggregates = Aggregates(total: 810, byRegion: Dictionary(uniqueKeysWithValues: regions.map { ($0, 100) }))
        let csv = try ExportTable.make(petition: petition, aggregates: aggregates, breakdown: .region, k: 2, today: Self.day("2026-11-02")).csv()
        let expected = [
            "region,signatures", "'-1+2,100", "'@SUM(A1),100", "'+x,100", "\"He said \"\"hi\"\"\",100", "\"two\nlines\",100",
            "'\tTabbed,100", "\"'=1,2\",100", "plain/text,100", "(none),10", "total,810", "",
        ]
        #expect(csv == expected.joined(separator: "\r\n"))

        let dashed = try Self.petition("-x", created: Self.day("2026-11-01"))
        let total = try ExportTable.make(petition: dashed, aggregates: Aggregates(total: 7), breakdown: .total, today: Self.day("2026-11-02"))
        #expect(total.csv() == "petition,signatures\r\n'-x,7\r\n")
        #expect(total.cells.isEmpty)
        #expect(try total.json() == #"{"by":"total","cells":[],"generated":"2026-11-02","k":10,"noise":null,"petition":"-x","total":7}"#)
    }

    @Test("with epsilon: the total stays exact, cells are noised then suppressed and never negative")
    func noisyTable() throws {
        let petition = try Self.petition(regions: ["North", "South"], created: Self.day("2026-11-01"))
        let aggregates = Aggregates(total: 500, byRegion: ["North": 300, "South": 150])
        let epsilon = try Epsilon("0.5")
        let today = Self.day("2026-11-20")

        let shifted = try ExportTable.make(petition: petition, aggregates: aggregates, breakdown: .region, epsilon: epsilon, today: today) { _ in 7 }
        #expect(shifted.cells.map(\.count) == [307, 157, 57])
        #expect(shifted.total == 500 && shifted.epsilon == epsilon)

        let floored = try ExportTable.make(
            petition: petition, aggregates: aggregates, breakdown: .region, epsilon: epsilon, today: today
        ) { _ in -1000 }
        #expect(floored.cells.allSatisfy { $0.suppressed } && floored.total == 500)

        for _ in 0..<50 {
            let noisy = try ExportTable.make(petition: petition, aggregates: aggregates, breakdown: .region, epsilon: epsilon, today: today)
            #expect(noisy.total == 500)
            #expect(noisy.cells.compactMap(\.count).allSatisfy { $0 >= 10 })
        }
        let days = try Self.petition(created: Self.day("2026-11-01"))
        let dayTable = try ExportTable.make(
            petition: days, aggregates: Aggregates(total: 3, byDay: ["2026-11-05": 3]), breakdown: .day, k: 2, epsilon: epsilon, today: today
        )
        #expect(dayTable.total == 3 && dayTable.cells.compactMap(\.count).allSatisfy { $0 >= 2 })

        let object = try #require(try JSONSerialization.jsonObject(with: Data(shifted.json().utf8)) as? [String: Any])
        #expect(object["noise"] as? [String: String] == ["mechanism": "discrete-laplace", "epsilon": "0.5"])
        #expect(object["total"] as? Int == 500)

        let failure = #expect(throws: ExportError.self) {
            try ExportTable.make(
                petition: petition, aggregates: aggregates, breakdown: .region, epsilon: epsilon, today: today
            ) { _ throws(CryptoError) in
                throw CryptoError(.openSSL, reason: "RAND_bytes failed")
            }
        }
        #expect(failure?.description.hasSuffix("try the export again") == true)

        // Noise far below zero is clamped at 0 (and 0 is below k, so both cells are hidden), never negative.
        let twoDays = try Self.petition(created: Self.day("2026-11-01", hour: 8), closed: Self.day("2026-11-02", hour: 20))
        let clamped = try ExportTable.make(
            petition: twoDays, aggregates: Aggregates(total: 30, byDay: ["2026-11-01": 3, "2026-11-02": 27]), breakdown: .day,
            epsilon: epsilon, today: today, noise: { _ in -1000 })
        #expect(clamped.cells.map(\.count) == [nil, nil] && clamped.total == 30)
        // A lone noisy cell would sit beside the exact total, which is the same cell's exact value: it is hidden.
        let oneDay = try Self.petition(created: Self.day("2026-11-01", hour: 8), closed: Self.day("2026-11-01", hour: 20))
        let lone = try ExportTable.make(
            petition: oneDay, aggregates: Aggregates(total: 30, byDay: ["2026-11-01": 30]), breakdown: .day, epsilon: epsilon, today: today
        ) { _ in 0 }
        #expect(lone.cells == [ExportCell(key: "2026-11-01", count: nil)] && lone.total == 30)
    }

    @Test("by region on a petition without regions is refused; parameters outside their names are refused")
    func refusals() throws {
        let petition = try Self.petition(created: Self.day("2026-11-01"))
        #expect(throws: ExportError.noRegions) {
            try ExportTable.make(petition: petition, aggregates: Aggregates(total: 40), breakdown: .region, today: Self.day("2026-11-02"))
        }
        #expect(ExportError.noRegions.description == "this petition asks for no region; export by=total or by=day")
        #expect(throws: ExportError.invalidK) {
            try ExportTable.make(petition: petition, aggregates: Aggregates(), breakdown: .total, k: 1, today: Self.day("2026-11-02"))
        }
        #expect(throws: ExportError.invalidBreakdown) { try ExportBreakdown(parsing: "week") }
        #expect(throws: ExportError.invalidFormat) { try ExportFormat(parsing: "xml") }
        #expect(try ExportBreakdown(parsing: "region") == .region && ExportFormat(parsing: "csv") == .csv)
        #expect(ExportFormat.csv.contentType.hasPrefix("text/csv"))
    }
}
