/// `entries-root`: the log holds as many entries as the checkpoint's size, and they hash to its root. On failure, the
/// checkpoint verified last time tells whether the change lies before or after it.
struct EntriesRootCheck: AuditCheck {
    let name = "entries-root"

    func check(_ evidence: AuditEvidence) -> AuditReport.Check {
        let count = evidence.count
        guard let checkpoint = evidence.checkpoint else { return fail("there is no checkpoint to compare the \(count) entries with") }
        guard let tree = evidence.tree, let root = try? tree.root() else { return fail("the entries could not be hashed") }
        if count == checkpoint.size && root == checkpoint.rootHash {
            return pass("the \(count) entries hash to the checkpoint's root \(base64(root))")
        }
        var found =
            count == checkpoint.size
            ? "the \(count) entries hash to \(base64(root)), not to the checkpoint's root \(base64(checkpoint.rootHash))"
            : "log holds \(count) entries; the checkpoint says \(checkpoint.size)"
        if let previous = evidence.previous {
            if count < previous.size {
                found += "; the log holds fewer entries than the earlier checkpoint's \(previous.size)"
            } else if (try? tree.root(size: previous.size)) == previous.rootHash {
                found += "; the first \(previous.size) entries still match the earlier checkpoint, so the change lies at entry "
                    + "\(previous.size) or later"
            } else {
                found += "; the first \(previous.size) entries no longer match the earlier checkpoint, so an entry before \(previous.size) changed"
            }
        }
        return fail(found)
    }
}
