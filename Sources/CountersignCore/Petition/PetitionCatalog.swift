import Foundation

/// The petitions defined in a folder: every `*.petition` file in it, in file-name order.
public struct PetitionCatalog: Sendable {
    public static let fileExtension = "petition"

    public let petitions: [PetitionDefinition]

    public init(petitions: [PetitionDefinition]) throws(PetitionError) {
        var seen = Set<PetitionSlug>()
        for petition in petitions where !seen.insert(petition.slug).inserted {
            throw .duplicateSlug(petition.slug.value)
        }
        self.petitions = petitions
    }

    /// Loads every `*.petition` file in `directory`.
    public static func load(directory: String) throws(PetitionError) -> PetitionCatalog {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
                .filter { $0.hasSuffix("." + fileExtension) }.sorted()
        } catch {
            throw .unreadable("cannot read the petitions folder \(directory): \(error.localizedDescription)")
        }
        var petitions: [PetitionDefinition] = []
        for name in names {
            let path = directory + "/" + name
            guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable("cannot read \(path)") }
            guard let contents = String(data: data, encoding: .utf8) else { throw .invalidFile("\(path) is not UTF-8 text") }
            petitions.append(try PetitionDefinition(parsing: contents, source: path))
        }
        return try PetitionCatalog(petitions: petitions)
    }

    /// The petition named `slug`, if any.
    public func petition(_ slug: PetitionSlug) -> PetitionDefinition? {
        petitions.first { $0.slug == slug }
    }
}
