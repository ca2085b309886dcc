import CountersignCore
@testable import CountersignServer
import Testing

@Suite("Wording of a count")
struct CountWordingTests {
    @Test("digits are grouped by thousands with commas, whatever the server's locale")
    func number() {
        let cases: [(Int, String)] = [
            (0, "0"), (7, "7"), (999, "999"), (1000, "1,000"), (12_345, "12,345"), (999_999, "999,999"), (1_234_567, "1,234,567"),
            (-1234, "-1,234"),
        ]
        for (count, text) in cases { #expect(CountWording.number(count) == text) }
    }

    @Test("the noun follows the count: one signature, zero or several signatures")
    func grammar() {
        #expect(CountWording.confirmed(0) == ["number": "0", "noun": "confirmed signatures"])
        #expect(CountWording.confirmed(1) == ["number": "1", "noun": "confirmed signature"])
        #expect(CountWording.confirmed(2) == ["number": "2", "noun": "confirmed signatures"])
        #expect(CountWording.confirmed(1001) == ["number": "1,001", "noun": "confirmed signatures"])
        #expect(CountWording.signatureCount(1) == "1 signature")
        #expect(CountWording.signatureCount(0) == "0 signatures")
        #expect(CountWording.signatureCount(1234) == "1,234 signatures")
    }

    @Test("progress to a milestone reads \"1,234 of 10,000 signatures\" and gives a <progress> its value and max")
    func milestone() throws {
        let progress = try #require(MilestoneProgress(count: 1234, milestones: [10_000]))
        #expect(CountWording.milestone(progress) == ["text": "1,234 of 10,000 signatures", "value": "1234", "max": "10000"])
        let first = try #require(MilestoneProgress(count: 0, milestones: [1]))
        #expect(CountWording.milestone(first)["text"] == "0 of 1 signature")
    }
}
