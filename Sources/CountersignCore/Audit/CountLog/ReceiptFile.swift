/// What `countersign receipt verify FILE` was given, told apart by its content: a receipt (`receipt.json`, or a file
/// holding the code), checked against the service, or a saved ``TlogProof``, checked offline.
public enum ReceiptFile: Sendable {
    /// A receipt, to check against the running service (`--url`).
    case receipt(Receipt)
    /// A saved `c2sp.org/tlog-proof@v1`, to check offline (``ReceiptProofVerifier``), verbatim.
    case proof(String)

    /// Reads a file's text; a code's count-log origin is derived from `auditOrigin`, the verifier key's name.
    public init(text: String, auditOrigin: String) throws(CountLogError) {
        let trimmed = text.drop { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" || $0 == "\u{FEFF}" }
        if trimmed.hasPrefix(TlogProof.header) {
            self = .proof(text)
        } else if trimmed.hasPrefix("{") {
            self = .receipt(try Receipt(json: String(trimmed)))
        } else if trimmed.hasPrefix(Receipt.codeVersion + ":") {
            self = .receipt(try Receipt(code: String(trimmed), auditOrigin: auditOrigin))
        } else {
            throw CountLogError(
                .malformedReceipt,
                reason: "the file is neither a receipt.json, a receipt code (cs1:…) nor a saved proof (\(TlogProof.header)): "
                    + "give the file the confirmation page offered, a file holding the code, or the proof `receipt verify --save` wrote")
        }
    }
}
