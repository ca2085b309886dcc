/// What ``AuditVerifier`` found: one ``Check`` per property of the log, each with the evidence an auditor can
/// re-check by hand. The log passes only when every check passes.
public struct AuditReport: Sendable {
    /// One named check. The names are stable: they are printed by `countersign audit verify` and matched by tests.
    public struct Check: Sendable {
        public let name: String
        public let passed: Bool
        /// Something the log promises is not done yet but is still within its window: the check does not fail, and
        /// says `PENDING` instead of `PASS`.
        public let pending: Bool
        /// Why the check passed or failed, on one line: counts, key ids, days and entry indexes.
        public let evidence: String

        public init(name: String, passed: Bool, pending: Bool = false, evidence: String) {
            self.name = name
            self.passed = passed
            self.pending = passed && pending
            self.evidence = evidence
        }
    }

    public var checks: [Check]

    public init(checks: [Check]) {
        self.checks = checks
    }

    /// Whether every check passed.
    public var passed: Bool { checks.allSatisfy(\.passed) }

    /// The check called `name`, if the report has one.
    public func check(_ name: String) -> Check? {
        checks.first { $0.name == name }
    }

    /// One line per check, `PASS name: evidence`, `PENDING name: evidence` or `FAIL name: evidence`, then
    /// `RESULT: PASS` or `RESULT: FAIL (n checks failed)`; every line ends with a newline.
    public var text: String {
        let lines = checks.map { "\($0.pending ? "PENDING" : $0.passed ? "PASS" : "FAIL") \($0.name): \($0.evidence)" }
        let failed = checks.count { !$0.passed }
        let result = failed == 0 ? "RESULT: PASS" : "RESULT: FAIL (\(failed) \(failed == 1 ? "check" : "checks") failed)"
        return (lines + [result]).map { $0 + "\n" }.joined()
    }
}
