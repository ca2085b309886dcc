import Foundation

/// The canonical form of an email address: the one form every spelling of the same mailbox maps to, and the
/// only form a ``Pseudonym`` is computed from.
///
/// The rules, in order (`Docs/crypto.md` restates them for auditors):
/// 1. Trim surrounding white space.
/// 2. Refuse an empty address, one over 254 UTF-8 bytes, and one holding a control or format character,
///    white space or a double quote.
/// 3. Refuse anything but exactly one `@` with a non-empty local part and domain, and a local part with ASCII
///    other than letters, digits, `.` and ``! # $ % & ' * + - / = ? ^ _ ` { | } ~`` (RFC 5322 atext).
/// 4. Refuse a local part holding a non-ASCII character that compatibility mapping (NFKC) changes, or that lowercases
///    to ASCII, checked before NFC (which already maps the Kelvin sign to `K`): the Kelvin sign, the long s, full-width
///    letters, ligatures, superscripts and `İ` would otherwise merge with other mailboxes beyond these rules.
/// 5. Apply Unicode NFC.
/// 6. Local part: lowercase (full Unicode mapping, then NFC again), drop everything from the first `+`,
///    and refuse it if it is then empty or over 64 bytes.
/// 7. Domain: lowercase, refuse ASCII other than letters, digits, `-` and `.`, and convert to IDNA ASCII with libidn2 (UTS #46 non-transitional, STD3 rules);
///    it must then have at least two labels of 1 to 63 characters and at most 253 bytes.
/// 8. `googlemail.com` becomes `gmail.com`; for `gmail.com`, dots in the local part are removed.
/// 9. Refuse a canonical address over 254 UTF-8 bytes (IDNA can lengthen a domain).
///
/// Mail is sent to this form too, the mailbox the pseudonym stands for, never to another spelling of it: whoever
/// receives `alice+x@example.org` must not get the mail about `alice@example.org`'s signature. `description` and the
/// reflection mirror are redacted so that the address cannot reach a log by interpolation.
public struct CanonicalEmail: Sendable, Hashable {
    /// The canonical address, `local@domain`.
    public let value: String

    /// The domain, in IDNA ASCII form: what follows the one `@`.
    public var domain: String { String(value.drop { $0 != "@" }.dropFirst()) }

    public init(_ address: String) throws(EmailAddressError) {
        if let fast = Self.asciiFastPath(address) {
            self.init(canonical: fast)
        } else {
            try self.init(fullPath: address)
        }
    }

    private init(canonical: String) {
        value = canonical
    }

    /// The rules above, step by step, for any address.
    init(fullPath address: String) throws(EmailAddressError) {
        let trimmed = address.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw EmailAddressError(.empty) }
        guard trimmed.utf8.count <= 254 else { throw EmailAddressError(.tooLong) }
        for scalar in trimmed.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator: throw EmailAddressError(.controlCharacter)
            default: break
            }
            if scalar.properties.isWhitespace { throw EmailAddressError(.whitespace) }
            if scalar == "\"" { throw EmailAddressError(.quote) }
        }
        let parts = trimmed.precomposedStringWithCanonicalMapping.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count > 1 else { throw EmailAddressError(.missingAt) }
        guard parts.count == 2 else { throw EmailAddressError(.multipleAt) }
        guard !parts[0].isEmpty else { throw EmailAddressError(.emptyLocalPart) }
        guard !parts[1].isEmpty else { throw EmailAddressError(.emptyDomain) }
        // RFC 5322 atext and dots (and any non-ASCII letter, RFC 6532). The specials refused here (`,` `;` `<`
        // `>` `(` `)` `[` `]` `\` `:`) would make one "address" several to sendmail or break an SMTP command.
        guard parts[0].unicodeScalars.allSatisfy({ !$0.isASCII || Self.localPartASCII.contains($0) }) else {
            throw EmailAddressError(.localPartCharacter)
        }
        let rawLocal = trimmed.unicodeScalars.prefix { $0 != "@" }
        guard rawLocal.allSatisfy({ $0.isASCII || !Self.standsForAnother($0) }) else { throw EmailAddressError(.compatibilityCharacter) }

        var local = parts[0].lowercased().precomposedStringWithCanonicalMapping
        if let plus = local.firstIndex(of: "+") {
            local = String(local[..<plus])
        }
        guard !local.isEmpty else { throw EmailAddressError(.emptyLocalPart) }
        guard local.utf8.count <= 64 else { throw EmailAddressError(.localPartTooLong) }

        var domain = try Self.canonicalDomain(parts[1].lowercased())
        if domain == "googlemail.com" {
            domain = "gmail.com"
        }
        if domain == "gmail.com" {
            local.removeAll { $0 == "." }
            guard !local.isEmpty else { throw EmailAddressError(.emptyLocalPart) }
        }
        // The IDNA ASCII form of a domain can be longer than the domain as typed: the canonical address must fit too, or
        // it is no mailbox and, canonicalized again, it would be refused.
        let canonical = local + "@" + domain
        guard canonical.utf8.count <= 254 else { throw EmailAddressError(.tooLong) }
        value = canonical
    }

    /// The canonical form of an everyday ASCII address, or `nil` for anything else, which then takes the full path.
    ///
    /// For ASCII the full path's Unicode steps do nothing: NFC and the compatibility check leave ASCII alone, full
    /// lowercasing is `A`–`Z` to `a`–`z`, and libidn2 returns an ASCII host name lowercased, unchanged, when every
    /// label is letters, digits and inner hyphens without `--` in its third and fourth places (no `xn--` label, whose
    /// punycode libidn2 would check). So this path takes only addresses that are ASCII, trimmed of ASCII white space,
    /// with one `@`, a local part of atext and dots, and such a domain; on those it gives what the full path gives
    /// (`CanonicalEmailTests` compares the two on random ASCII). Every error, and every unusual address, goes to the
    /// full path, so errors come from one place.
    static func asciiFastPath(_ address: String) -> String? {
        var bytes = Array(address.utf8)
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
        let isSpace = { (byte: UInt8) in byte == 0x20 || (0x09...0x0D).contains(byte) }
        while let last = bytes.last, isSpace(last) { bytes.removeLast() }
        let start = bytes.firstIndex { !isSpace($0) } ?? bytes.endIndex
        bytes.removeFirst(start)
        guard !bytes.isEmpty, bytes.count <= 254, let at = bytes.firstIndex(of: UInt8(ascii: "@")) else { return nil }
        var local = Array(bytes[..<at])
        var domain = Array(bytes[(at + 1)...])
        guard !local.isEmpty, !domain.isEmpty, local.allSatisfy({ localPartASCIIBytes[Int($0)] }) else { return nil }
        let lower = { (byte: UInt8) in (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte }
        local = local.map(lower)
        if let plus = local.firstIndex(of: UInt8(ascii: "+")) { local.removeSubrange(plus...) }
        domain = domain.map(lower)
        guard !local.isEmpty, local.count <= 64, domain.count <= 253 else { return nil }
        let labels = domain.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        let hostLabel = { (label: ArraySlice<UInt8>) -> Bool in
            guard (1...63).contains(label.count), label.first != UInt8(ascii: "-"), label.last != UInt8(ascii: "-") else { return false }
            guard label.allSatisfy({ hostBytes[Int($0)] }) else { return false }
            return label.count < 4 || label[label.startIndex + 2] != UInt8(ascii: "-") || label[label.startIndex + 3] != UInt8(ascii: "-")
        }
        guard labels.count >= 2, labels.allSatisfy(hostLabel) else { return nil }
        var host = String(decoding: domain, as: UTF8.self)
        if host == "googlemail.com" { host = "gmail.com" }
        if host == "gmail.com" {
            local.removeAll { $0 == UInt8(ascii: ".") }
            guard !local.isEmpty else { return nil }
        }
        return String(decoding: local, as: UTF8.self) + "@" + host
    }

    /// ``localPartASCII`` as a table indexed by byte, for the fast path.
    private static let localPartASCIIBytes: [Bool] = (0..<128).map { localPartASCII.contains(Unicode.Scalar(UInt8($0))) }
    /// Lowercase letters, digits and hyphen, the bytes of a host label after lowercasing.
    private static let hostBytes: [Bool] = (0..<128).map { byte in
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(UInt8(byte)) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(UInt8(byte))
            || UInt8(byte) == UInt8(ascii: "-")
    }

    /// Whether compatibility mapping changes `scalar`, or lowercasing it gives ASCII.
    private static func standsForAnother(_ scalar: Unicode.Scalar) -> Bool {
        let text = String(scalar)
        // Compared scalar by scalar: String equality is canonical equivalence, under which the Ohm sign is omega.
        return Array(text.precomposedStringWithCompatibilityMapping.unicodeScalars) != [scalar]
            || text.lowercased().unicodeScalars.contains { $0.isASCII }
    }

    private static let localPartASCII = Set(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.!#$%&'*+-/=?^_`{|}~".unicodeScalars)

    private static func canonicalDomain(_ domain: String) throws(EmailAddressError) -> String {
        // STD3: the only ASCII a host name may hold is letters, digits, hyphen and dot. libidn2 2.3 deletes
        // some disallowed ASCII (an underscore) instead of refusing it, so refuse it before conversion.
        let hostCharacters = domain.unicodeScalars.allSatisfy { scalar in
            !scalar.isASCII || ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "-" || scalar == "."
        }
        guard hostCharacters else {
            throw EmailAddressError(.invalidDomain, detail: "a domain holds only letters, digits, hyphens and dots")
        }
        let ascii = try IDNA.toASCII(domain).lowercased()
        let labels = ascii.split(separator: ".", omittingEmptySubsequences: false)
        guard ascii.utf8.count <= 253, labels.count >= 2, labels.allSatisfy({ (1...63).contains($0.utf8.count) }) else {
            throw EmailAddressError(.invalidDomain, detail: "it needs at least two dot-separated labels of 1 to 63 characters")
        }
        return ascii
    }
}

extension CanonicalEmail: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "<canonical email redacted>" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}
