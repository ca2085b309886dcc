import CountersignCore

/// Count checkpoint (`CountCheckpoint(text:)`, the `count N` extension): any text is refused with an `AuditError` or
/// parses to a count checkpoint that, built again from its origin, size, root and count, is the same, with the same
/// text; and a petition slug read from its origin names that origin again.
@_cdecl("LLVMFuzzerTestOneInput")
public func countCheckpointFuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = fuzzText(data, size)
    guard let parsed = try? CountCheckpoint(text: text) else { return 0 }
    let checkpoint = parsed.checkpoint
    let rebuilt = CountCheckpoint(origin: checkpoint.origin, size: checkpoint.size, rootHash: checkpoint.rootHash, count: parsed.count)
    fuzzProperty(rebuilt == parsed, "count checkpoint rebuilt from its fields differs: \(rebuilt.text)")
    fuzzProperty(parsed.text == text, "accepted a count checkpoint that writes back as \(parsed.text)")
    if let slug = CountCheckpoint.slug(origin: checkpoint.origin, auditOrigin: auditOrigin) {
        fuzzProperty(CountCheckpoint.origin(auditOrigin: auditOrigin, slug: slug) == checkpoint.origin, "slug \(slug) does not name its origin")
    }
    return 0
}

/// The audit origin of the count log in `Keys/test-vectors.json`, whose checkpoint is in the seed corpus.
private let auditOrigin = "countersign.example.org/audit"
