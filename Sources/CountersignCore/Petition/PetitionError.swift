/// Why a petition definition or name was refused.
public enum PetitionError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A slug that is not 1 to 64 characters of `a-z`, `0-9` and `-`.
    case invalidSlug
    /// A petition file that does not follow the format; the message names the file, line and rule.
    case invalidFile(String)
    /// Two petition files share a slug.
    case duplicateSlug(String)
    /// The petitions folder cannot be read.
    case unreadable(String)

    public var description: String {
        switch self {
        case .invalidSlug: "a petition slug is 1 to 64 characters of a-z, 0-9 and -"
        case .invalidFile(let message): message
        case .duplicateSlug(let slug): "two petition files use the slug \(slug); give each its own Slug: line"
        case .unreadable(let message): message
        }
    }
}
