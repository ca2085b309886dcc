import CountersignCrypto

/// A petition as an organizer writes it: a file in the petitions folder (`seeds/` by default).
///
/// The file format is a block of `Name: value` header lines, a blank line, then the petition text:
///
///     Slug: amazon-cut-ties-with-police-and-ice
///     Title: Tell Amazon to cut all ties with police and ICE
///     Region: Alabama
///     Region: Outside the US
///     Milestone: 10000
///
///     The text, as plain paragraphs separated by blank lines.
///
/// `Slug` and `Title` are required and appear once; `Region` lines are optional and list, in order, the
/// regions a signer may pick from; `Milestone` lines are optional counts (a plain decimal from 1 to
/// ``maximumMilestone``, each once, in any order) the petition page shows progress towards (``MilestoneProgress``).
/// Header names are case-insensitive; unknown headers are refused so that a typo is not silently ignored. Lines end
/// with LF or CR LF; carriage returns at the end of a line are dropped.
public struct PetitionDefinition: Sendable, Hashable {
    public static let maximumTitleLength = 200
    public static let maximumTextLength = 100_000
    public static let maximumRegionLength = 100
    public static let maximumMilestone = 1_000_000_000

    public let slug: PetitionSlug
    public let title: String
    public let text: String
    public let regions: [String]
    /// The counts the petition page shows progress towards, ascending; empty when the file gives none.
    public let milestones: [Int]

    public init(slug: PetitionSlug, title: String, text: String, regions: [String] = [], milestones: [Int] = []) {
        self.slug = slug
        self.title = title
        self.text = text
        self.regions = regions
        self.milestones = milestones.sorted()
    }

    /// Parses a petition file; `source` names it in error messages.
    public init(parsing contents: String, source: String) throws(PetitionError) {
        var slug: PetitionSlug?
        var title: String?
        var regions: [String] = []
        var milestones: [Int] = []
        // A line ends at a line feed, and carriage returns before it belong to the line ending, so that a line never ends
        // in "\r" and the text, joined with "\n", reads back the same. Swift reads CR LF as one `Character`.
        var lines = contents.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }.map { line in
            var line = String(line)
            while line.last == "\r" { line.removeLast() }
            return line
        }[...]
        var lineNumber = 0
        func fail(_ message: String) -> PetitionError { .invalidFile("\(source):\(lineNumber): \(message)") }

        while let line = lines.popFirst() {
            lineNumber += 1
            if line.trimmingWhitespace().isEmpty { break }
            guard let colon = line.firstIndex(of: ":") else { throw fail("expected a `Name: value` header line or a blank line") }
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingWhitespace()
            guard !value.isEmpty else { throw fail("the \(name) header has no value") }
            switch name {
            case "slug":
                guard slug == nil else { throw fail("Slug appears twice") }
                do {
                    slug = try PetitionSlug(value)
                } catch {
                    throw fail(error.description)
                }
            case "title":
                guard title == nil else { throw fail("Title appears twice") }
                guard value.count <= Self.maximumTitleLength else { throw fail("a title is at most \(Self.maximumTitleLength) characters") }
                title = value
            case "region":
                guard value.count <= Self.maximumRegionLength else { throw fail("a region is at most \(Self.maximumRegionLength) characters") }
                guard !regions.contains(value) else { throw fail("region \(value) appears twice") }
                regions.append(value)
            case "milestone":
                // A plain decimal only (no sign, no leading zero, no separator), so `10,000` or `1e4` is a typo caught here.
                guard let count = Int(value), String(count) == value, (1...Self.maximumMilestone).contains(count) else {
                    throw fail("a milestone is a count from 1 to \(Self.maximumMilestone), written in plain digits (10000)")
                }
                guard !milestones.contains(count) else { throw fail("milestone \(count) appears twice") }
                milestones.append(count)
            default:
                throw fail("unknown header \(name); the headers are Slug, Title, Region and Milestone")
            }
        }
        guard let slug else { throw fail("the Slug header is missing") }
        guard let title else { throw fail("the Title header is missing") }
        let text = lines.joined(separator: "\n").trimmingWhitespace()
        guard !text.isEmpty else { throw fail("the petition text after the headers is empty") }
        guard text.utf8.count <= Self.maximumTextLength else { throw fail("the petition text is over \(Self.maximumTextLength) bytes") }
        self.init(slug: slug, title: title, text: text, regions: regions, milestones: milestones)
    }
}

extension StringProtocol {
    fileprivate func trimmingWhitespace() -> String {
        // One slice by index: building the String from twice-reversed views was the parser's main cost (seen fuzzing).
        guard let first = firstIndex(where: { !$0.isWhitespace }), let last = lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(self[first...last])
    }
}
