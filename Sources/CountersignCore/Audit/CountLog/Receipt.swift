import CountersignCrypto
import Foundation

/// What a signer keeps to prove, later, that their confirmation is counted: the petition, the count log's origin, the
/// secret `r` of their ``ReceiptCommitment``, and the epoch the confirmation was logged in (so that a verifier fetches
/// that epoch's tiles and no single leaf). The service hands it out once, at confirmation, and never stores `r`.
///
/// Two text forms, both parsed back by this type:
///
/// - `receipt.json`, a JSON object with sorted keys and a final newline:
///
///       {"epoch":EPOCH,"format":"countersign/receipt/v1","origin":ORIGIN,"petition":SLUG,"r":BASE64URL(r)}
///
/// - the code to copy, `cs1:SLUG:EPOCH:BASE64URL(r ‖ check)`, with
///   `check = SHA-256("countersign/receipt-code/v1" ‖ 0x00 ‖ "SLUG:EPOCH:" ‖ r)[0..<2]`, so that a mistyped code is
///   refused as mistyped instead of verifying as "not in the log". The code leaves out the origin: whoever verifies
///   it names the service (`--url`, `--key`), and ``init(code:auditOrigin:)`` derives the count log's origin.
///
/// `SLUG` is a petition slug (`a-z`, `0-9`, `-`), `EPOCH` a decimal without leading zeros, `BASE64URL` unpadded
/// (RFC 4648 §5).
public struct Receipt: Sendable, Equatable {
    /// The `format` field of `receipt.json`.
    public static let format = "countersign/receipt/v1"
    /// The first field of the code.
    public static let codeVersion = "cs1"
    static let codeCheckLabel = "countersign/receipt-code/v1"

    /// The petition's slug.
    public let slug: String
    /// The count log's checkpoint origin (``CountCheckpoint/origin(auditOrigin:slug:)``).
    public let origin: String
    /// `r`, the 32-byte secret behind the commitment.
    public let secret: [UInt8]
    /// The epoch the confirmation belongs to (``CountEpoch``).
    public let epoch: Int

    public init(slug: String, origin: String, secret: [UInt8], epoch: Int) throws(CountLogError) {
        guard (try? PetitionSlug(slug)) != nil else {
            throw CountLogError(.malformedReceipt, reason: "the receipt's petition \"\(slug)\" is not a slug (1 to 64 of a-z, 0-9 and -)")
        }
        guard secret.count == ReceiptCommitment.length else {
            throw CountLogError(.malformedReceipt, reason: "the receipt's r has \(secret.count) bytes, not 32: the receipt is damaged")
        }
        guard epoch >= 0 else { throw CountLogError(.malformedReceipt, reason: "the receipt's epoch \(epoch) is negative: the receipt is damaged") }
        guard !origin.isEmpty, !origin.contains("\n") else {
            throw CountLogError(.malformedReceipt, reason: "the receipt's origin is empty or holds a line break: the receipt is damaged")
        }
        self.slug = slug
        self.origin = origin
        self.secret = secret
        self.epoch = epoch
    }

    /// Equal receipts: the secrets are compared in constant time.
    public static func == (lhs: Receipt, rhs: Receipt) -> Bool {
        lhs.slug == rhs.slug && lhs.origin == rhs.origin && lhs.epoch == rhs.epoch && ConstantTime.equals(lhs.secret, rhs.secret)
    }

    /// The commitment the count log holds for this receipt.
    public var commitment: ReceiptCommitment {
        get throws(CountLogError) { try ReceiptCommitment(slug: slug, secret: secret) }
    }

    // MARK: - receipt.json

    private struct JSONForm: Codable {
        let epoch: Int
        let format: String
        let origin: String
        let petition: String
        let r: String
    }

    /// The `receipt.json` file: compact JSON, sorted keys, unescaped slashes, and a final newline.
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding five strings and an integer cannot fail; the fallback keeps the property non-throwing.
        let data = (try? encoder.encode(self)) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// Parses a `receipt.json` file.
    public init(json: String) throws(CountLogError) {
        let form: JSONForm
        do {
            form = try JSONDecoder().decode(JSONForm.self, from: Data(json.utf8))
        } catch {
            throw CountLogError(
                .malformedReceipt,
                reason: "not a receipt.json: a JSON object {\"epoch\", \"format\", \"origin\", \"petition\", \"r\"}; "
                    + "use the file the confirmation page offered, unchanged")
        }
        guard form.format == Self.format else {
            throw CountLogError(
                .malformedReceipt, reason: "the receipt's format is \"\(form.format)\", not \"\(Self.format)\": use a newer countersign to check it")
        }
        let secret: [UInt8]
        do {
            secret = try Base64URL.decode(form.r)
        } catch {
            throw CountLogError(.malformedReceipt, reason: "the receipt's r is not base64url: the receipt is damaged")
        }
        try self.init(slug: form.petition, origin: form.origin, secret: secret, epoch: form.epoch)
    }

    // MARK: - the code

    /// The short code to copy: `cs1:SLUG:EPOCH:BASE64URL(r ‖ check)`.
    public var code: String {
        get throws(CountLogError) {
            let prefix = "\(slug):\(epoch):"
            return "\(Self.codeVersion):\(prefix)\(Base64URL.encode(secret + (try Self.check(prefix: prefix, secret: secret))))"
        }
    }

    /// Parses a code; the count log's origin is derived from the audit origin of the service it is checked against.
    public init(code: String, auditOrigin: String) throws(CountLogError) {
        let trimmed = code.trimmingCharacters(in: .whitespacesAndNewlines)
        let fields = trimmed.split(separator: ":", omittingEmptySubsequences: false)
        guard fields.count == 4, fields[0] == Self.codeVersion else {
            throw CountLogError(
                .malformedReceiptCode,
                reason: "not a receipt code: it reads cs1:PETITION:EPOCH:SECRET; copy the whole code as the confirmation page gave it")
        }
        let slug = String(fields[1])
        guard let epoch = Int(fields[2]), epoch >= 0, String(epoch) == fields[2] else {
            throw CountLogError(.malformedReceiptCode, reason: "the code's epoch \"\(fields[2])\" is not a number: copy the code again")
        }
        let raw: [UInt8]
        do {
            raw = try Base64URL.decode(String(fields[3]))
        } catch {
            throw CountLogError(.malformedReceiptCode, reason: "the code's secret is not base64url (A-Z a-z 0-9 - _): copy the code again")
        }
        guard raw.count == ReceiptCommitment.length + 2 else {
            throw CountLogError(
                .malformedReceiptCode, reason: "the code's secret is too short or too long: a character was lost; copy the code again")
        }
        let secret = Array(raw.prefix(ReceiptCommitment.length))
        let prefix = "\(slug):\(epoch):"
        guard try Self.check(prefix: prefix, secret: secret) == Array(raw.suffix(2)) else {
            throw CountLogError(
                .malformedReceiptCode, reason: "the code does not check: a character was mistyped or left out; copy it again from where you saved it")
        }
        try self.init(slug: slug, origin: CountCheckpoint.origin(auditOrigin: auditOrigin, slug: slug), secret: secret, epoch: epoch)
    }

    private static func check(prefix: String, secret: [UInt8]) throws(CountLogError) -> [UInt8] {
        do {
            return Array(try SHA256.hash(Array(codeCheckLabel.utf8), [0x00], Array(prefix.utf8), secret).prefix(2))
        } catch {
            throw .crypto(error)
        }
    }
}

extension Receipt: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The petition and epoch only: `r` must never reach a log line through an interpolation.
    public var description: String { "Receipt(\(slug), epoch \(epoch), r redacted)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["slug": slug, "origin": origin, "epoch": epoch]) }
}

/// A receipt encodes as the object of its `receipt.json` file, so that an answer can carry it as it is.
extension Receipt: Encodable {
    public func encode(to encoder: any Encoder) throws {
        try JSONForm(epoch: epoch, format: Self.format, origin: origin, petition: slug, r: Base64URL.encode(secret)).encode(to: encoder)
    }
}
