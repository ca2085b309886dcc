import CountersignCore
import Foundation

/// The receipt a counted confirmation offers its signer, once (``Receipt``): `r` with the petition, the count log's
/// origin and the epoch. It goes into the confirmation's answer only: never into a mail (a mailbox should not hold
/// proof of signing), a log line or the store, so nothing here is `CustomStringConvertible`.
struct ReceiptOffer: Sendable {
    let receipt: Receipt

    /// The receipt of `confirmation`, or `nil` when it did not count (a replay offers nothing: `r` is gone).
    init?(_ confirmation: Confirmation, auditOrigin: String) throws(CountLogError) {
        guard case .confirmed(let slug, let epoch) = confirmation.outcome, let secret = confirmation.receiptSecret else { return nil }
        receipt = try Receipt(
            slug: slug.value, origin: CountCheckpoint.origin(auditOrigin: auditOrigin, slug: slug.value), secret: secret, epoch: epoch)
    }

    /// The code to copy.
    func code() throws(CountLogError) -> String {
        try receipt.code
    }

    /// `receipt.json` as a `data:` link, for the page's download link (`download="receipt.json"`); a link, not a fetch,
    /// so the Content-Security-Policy's `default-src 'none'` does not stop it, and the server keeps no copy to serve.
    var downloadLink: String {
        "data:application/json;base64," + Data(receipt.json.utf8).base64EncodedString()
    }
}
