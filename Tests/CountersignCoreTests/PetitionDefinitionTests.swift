import CountersignCore
import CountersignCrypto
import Foundation
import Testing

@Suite("Petition files")
struct PetitionDefinitionTests {
    static let seeds = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("seeds").path

    @Test("the seed petition loads with its slug, title, text and the US regions")
    func seed() throws {
        let catalog = try PetitionCatalog.load(directory: Self.seeds)
        let petition = try #require(catalog.petition(PetitionSlug("amazon-cut-ties-with-police-and-ice")))
        #expect(petition.title == "Tell Amazon to cut all ties with police and ICE")
        #expect(petition.text.hasPrefix("Amazon has thousands of contracts with police departments and ICE."))
        #expect(petition.text.contains("Lucia and the rest of the Free Press team"))
        // 50 states, DC, 5 inhabited territories, and "Outside the US".
        #expect(petition.regions.count == 57)
        #expect(petition.regions.contains("District of Columbia"))
        #expect(petition.regions.last == "Outside the US")
    }

    /// Found by the petition fuzz harness: Swift reads CR LF as one `Character`, so splitting on "\n" saw a CRLF file as
    /// one line and refused it for its slug; and a line ending in several carriage returns kept all but one.
    @Test("a file with CRLF line endings reads as the same file with LF (fuzz finding)")
    func crlf() throws {
        let file = "Slug: a-1\nTitle: A title\nRegion: North\nRegion: South\n\nFirst paragraph.\n\nSecond paragraph.\n"
        let lf = try PetitionDefinition(parsing: file, source: "lf")
        #expect(lf.regions == ["North", "South"])
        #expect(lf.text == "First paragraph.\n\nSecond paragraph.")
        #expect(try PetitionDefinition(parsing: file.replacingOccurrences(of: "\n", with: "\r\n"), source: "crlf") == lf)
        let contents = try String(contentsOfFile: Self.seeds + "/amazon-cut-ties-with-police-and-ice.petition", encoding: .utf8)
        let seed = try PetitionDefinition(parsing: contents, source: "seed")
        #expect(try PetitionDefinition(parsing: contents.replacingOccurrences(of: "\n", with: "\r\n"), source: "seed-crlf") == seed)
        // The harness's next input: carriage returns before a line feed used to stay in the text, where "\r" joined to the
        // next "\n" made a CR LF, so the text written back read as another text.
        let stray = try PetitionDefinition(parsing: "Slug: a-1\nTitle: T\r\r\n\nFirst\0\r\r\r\nSecond\r", source: "stray")
        #expect(stray.title == "T")
        #expect(stray.text == "First\0\nSecond")
    }

    @Test("slugs outside [a-z0-9-]{1,64} are refused")
    func slugs() {
        for bad in ["", "Upper", "with space", "under_score", String(repeating: "a", count: 65), "../etc", "é"] {
            #expect(throws: PetitionError.invalidSlug()) { try PetitionSlug(bad) }
        }
        #expect(throws: Never.self) { try PetitionSlug(String(repeating: "a", count: 64)) }
    }

    @Test("a malformed file names the file, the line and the rule")
    func malformed() {
        let cases: [(String, String)] = [
            ("Title: T\n\nText", "Slug header is missing"),
            ("Slug: s\n\nText", "Title header is missing"),
            ("Slug: s\nTitle: T\n\n", "text after the headers is empty"),
            ("Slug: s\nTitle: T\nColour: red\n\nText", "unknown header colour"),
            ("Slug: Bad Slug\nTitle: T\n\nText", "petition slug"),
            ("Slug: s\nTitle: T\nRegion: A\nRegion: A\n\nText", "region A appears twice"),
            ("Slug: s\nnot a header\n\nText", "expected a `Name: value` header"),
            ("Slug: s\nTitle: T\nMilestone: 10,000\n\nText", "written in plain digits"),
            ("Slug: s\nTitle: T\nMilestone: 1e4\n\nText", "written in plain digits"),
            ("Slug: s\nTitle: T\nMilestone: 010\n\nText", "written in plain digits"),
            ("Slug: s\nTitle: T\nMilestone: +10\n\nText", "written in plain digits"),
            ("Slug: s\nTitle: T\nMilestone: 0\n\nText", "from 1 to 1000000000"),
            ("Slug: s\nTitle: T\nMilestone: -5\n\nText", "from 1 to 1000000000"),
            ("Slug: s\nTitle: T\nMilestone: 1000000001\n\nText", "from 1 to 1000000000"),
            ("Slug: s\nTitle: T\nMilestone: 99999999999999999999\n\nText", "from 1 to 1000000000"),
            ("Slug: s\nTitle: T\nMilestone: 500\nMilestone: 500\n\nText", "milestone 500 appears twice"),
        ]
        for (contents, message) in cases {
            do {
                _ = try PetitionDefinition(parsing: contents, source: "test.petition")
                Issue.record("accepted \(contents.debugDescription)")
            } catch {
                #expect(error.description.hasPrefix("test.petition:"))
                #expect(error.description.contains(message), "\(error.description)")
            }
        }
    }

    @Test("Milestone lines are optional and repeatable, and come out ascending whatever their order in the file")
    func milestones() throws {
        let none = try PetitionDefinition(parsing: "Slug: s\nTitle: T\n\nText", source: "test.petition")
        #expect(none.milestones.isEmpty)
        let given = try PetitionDefinition(
            parsing: "Slug: s\nTitle: T\nmilestone: 10000\nMilestone: 500\nMILESTONE: 1000000000\n\nText", source: "test.petition")
        #expect(given.milestones == [500, 10000, 1_000_000_000])
    }

    @Test("two files with one slug are refused")
    func duplicateSlug() throws {
        let petition = PetitionDefinition(slug: try PetitionSlug("same"), title: "T", text: "Text")
        #expect(throws: PetitionError.duplicateSlug("same")) { try PetitionCatalog(petitions: [petition, petition]) }
    }
}
