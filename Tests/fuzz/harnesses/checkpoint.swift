import CountersignCore

/// C2SP tlog checkpoint (`Checkpoint(text:)`): any text is refused with an `AuditError` or parses to a checkpoint whose
/// text is the input, byte for byte, with a non-empty one-line origin, a size of at least 0, a 32-byte root and
/// non-empty one-line extensions.
@_cdecl("LLVMFuzzerTestOneInput")
public func checkpointFuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = fuzzText(data, size)
    guard let checkpoint = try? Checkpoint(text: text) else { return 0 }
    fuzzProperty(checkpoint.text == text, "accepted a checkpoint that writes back as \(checkpoint.text)")
    let origin = checkpoint.origin
    fuzzProperty(!origin.isEmpty && !origin.unicodeScalars.contains("\n"), "origin \(origin) is empty or not one line")
    fuzzProperty(checkpoint.size >= 0 && checkpoint.rootHash.count == 32, "size \(checkpoint.size) or root of \(checkpoint.rootHash.count) bytes")
    fuzzProperty(checkpoint.extensions.allSatisfy { !$0.isEmpty && !$0.unicodeScalars.contains("\n") }, "an extension line is empty or not one line")
    return 0
}
