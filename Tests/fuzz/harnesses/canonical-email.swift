@testable import CountersignCore

/// Canonical email (`CanonicalEmail`): any text either is refused with an `EmailAddressError` or gives a canonical form
/// that is a fixed point (canonicalizing it again gives it back), has one `@`, a local part of 1 to 64 bytes without `+`,
/// at most 254 bytes, no upper-case ASCII, and equals the full path's answer whenever the ASCII fast path answers.
@_cdecl("LLVMFuzzerTestOneInput")
public func canonicalEmailFuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = fuzzText(data, size)
    let fast = CanonicalEmail.asciiFastPath(input)
    let full = try? CanonicalEmail(fullPath: input)
    if let fast {
        fuzzProperty(full?.value == fast, "the ASCII fast path gives \(fast), the full path \(full?.value ?? "a refusal")")
    }
    guard let canonical = try? CanonicalEmail(input) else { return 0 }
    let value = canonical.value
    fuzzProperty(fast == nil ? full?.value == value : fast == value, "init disagrees with the path it took")
    let again = try? CanonicalEmail(value)
    fuzzProperty(again?.value == value, "canonical form \(value) is not a fixed point: \(again?.value ?? "refused")")
    let parts = value.split(separator: "@", omittingEmptySubsequences: false)
    fuzzProperty(parts.count == 2, "canonical form \(value) does not have exactly one @")
    fuzzProperty((1...64).contains(parts[0].utf8.count), "local part of \(value) is not 1 to 64 bytes")
    fuzzProperty(!parts[0].contains("+"), "local part of \(value) keeps a + tag")
    fuzzProperty(value.utf8.count <= 254, "canonical form \(value) is over 254 bytes")
    fuzzProperty(!value.utf8.contains { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }, "canonical form \(value) has upper case")
    return 0
}
