import Foundation

/// `count-root`: the log holds as many leaves as the checkpoint's size, and their RFC 6962 root is the checkpoint's
/// root. A tampered, dropped, added or reordered leaf fails here.
struct CountRootCheck: CountCheck {
    let name = "count-root"

    func check(_ evidence: CountEvidence) -> AuditReport.Check {
        guard let checkpoint = evidence.checkpoint?.checkpoint else { return fail("there is no checkpoint to compare the leaves with") }
        guard let tree = evidence.tree, let root = try? tree.root() else { return fail("the leaves could not be hashed") }
        guard tree.size == checkpoint.size else { return fail("the log holds \(tree.size) leaves; the checkpoint says \(checkpoint.size)") }
        guard root == checkpoint.rootHash else {
            return fail(
                "the \(tree.size) leaves hash to \(Data(root).base64EncodedString()), not to the checkpoint's root "
                    + Data(checkpoint.rootHash).base64EncodedString())
        }
        return pass("the \(tree.size) leaves hash to the checkpoint's root \(Data(root).base64EncodedString())")
    }
}
