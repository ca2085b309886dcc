/// A rule of the audit of the log (``AuditVerifier``).
protocol AuditCheck: ReportCheck where Evidence == AuditEvidence {}
