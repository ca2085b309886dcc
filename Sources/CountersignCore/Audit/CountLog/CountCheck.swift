/// A rule of the count replay (``CountVerifier``), worded as every ``ReportCheck`` is.
protocol CountCheck: ReportCheck where Evidence == CountEvidence {}
