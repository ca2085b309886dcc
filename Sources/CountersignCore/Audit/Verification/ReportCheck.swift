import Foundation

/// One rule of a verification, a type of its own like swift-certificates' `VerifierPolicy`: it reads the
/// ``Evidence``, parsed once for all checks, and returns one named ``AuditReport/Check``. A verifier runs its checks in a
/// fixed order, so adding a check means adding a file under its `Checks/` folder and naming it in that list.
protocol ReportCheck: Sendable {
    associatedtype Evidence

    /// The check's stable name, printed by `countersign audit verify` (or `count verify`) and matched by tests and
    /// auditors' scripts.
    var name: String { get }

    /// The check's finding: passed or not, and the evidence an auditor can re-check by hand.
    func check(_ evidence: Evidence) -> AuditReport.Check
}

// How a check words its finding, so that every check's line reads alike.
extension ReportCheck {
    func pass(_ evidence: String) -> AuditReport.Check {
        AuditReport.Check(name: name, passed: true, evidence: evidence)
    }

    /// Not done yet, but within its window: the line says `PENDING` and the audit still passes.
    func pending(_ evidence: String) -> AuditReport.Check {
        AuditReport.Check(name: name, passed: true, pending: true, evidence: evidence)
    }

    func fail(_ evidence: String) -> AuditReport.Check {
        AuditReport.Check(name: name, passed: false, evidence: evidence)
    }

    /// The first few problems, so that the line stays readable; the first names the first offending entry.
    func summary(_ problems: [String], limit: Int = 3) -> String {
        let shown = problems.prefix(limit).joined(separator: "; ")
        return problems.count > limit ? "\(shown); and \(problems.count - limit) more" : shown
    }

    /// A span of time as evidence prints it: `2d 3h`, `5h 12m`, `42s`.
    func describe(seconds: Int64) -> String {
        let parts = [(seconds / 86_400, "d"), (seconds % 86_400 / 3_600, "h"), (seconds % 3_600 / 60, "m"), (seconds % 60, "s")]
        let shown = parts.drop { $0.0 == 0 }.prefix(2).filter { $0.0 != 0 }.map { "\($0.0)\($0.1)" }
        return shown.isEmpty ? "0s" : shown.joined(separator: " ")
    }

    /// A hash as evidence prints it, in the base64 of checkpoints.
    func base64(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }
}
