import CountersignCore
import Foundation

/// Petition file (`PetitionDefinition(parsing:source:)`): any text either is refused with a `PetitionError` or gives a
/// definition within the documented limits that, written back in the file format, parses to the same definition, with
/// line feeds or with CRLF line endings (as a file saved on Windows has).
@_cdecl("LLVMFuzzerTestOneInput")
public func petitionFuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let petition = try? PetitionDefinition(parsing: fuzzText(data, size), source: "fuzz") else { return 0 }
    fuzzProperty(petition.title.count <= PetitionDefinition.maximumTitleLength, "title over the limit")
    fuzzProperty(!petition.text.isEmpty && petition.text.utf8.count <= PetitionDefinition.maximumTextLength, "text empty or over the limit")
    fuzzProperty(Set(petition.regions).count == petition.regions.count, "a region is listed twice")
    fuzzProperty(petition.regions.allSatisfy { $0.count <= PetitionDefinition.maximumRegionLength }, "region over the limit")
    let file = "Slug: \(petition.slug.value)\nTitle: \(petition.title)\n" + petition.regions.map { "Region: \($0)\n" }.joined()
        + "\n" + petition.text + "\n"
    let again = try? PetitionDefinition(parsing: file, source: "fuzz-rewritten")
    fuzzProperty(again == petition, "the definition written back as a file parses to \(String(describing: again))")
    let crlf = try? PetitionDefinition(parsing: file.replacingOccurrences(of: "\n", with: "\r\n"), source: "fuzz-crlf")
    fuzzProperty(crlf == petition, "the definition written back with CRLF line endings parses to \(String(describing: crlf))")
    return 0
}
