@testable import CountersignCore
import PropertyBased
import Synchronization
import Testing

@Suite("Canonical email")
struct CanonicalEmailTests {
    @Test("a Unicode domain and its punycode form canonicalize equal")
    func idnEquivalence() throws {
        #expect(try CanonicalEmail("Signer@Bücher.Example.com") == CanonicalEmail("signer@xn--bcher-kva.example.com"))
    }

    @Test("each refused address names the rule it broke, and the message never echoes the address")
    func namedRules() {
        let cases: [(String, EmailAddressError.Rule)] = [
            ("", .empty),
            ("nobody", .missingAt),
            ("a@b@example.com", .multipleAt),
            ("@example.com", .emptyLocalPart),
            ("secret-name@", .emptyDomain),
            ("secret name@example.com", .whitespace),
            ("\"secret\"@example.com", .quote),
            ("secret\r\nBcc: other@example.org", .controlCharacter),
            ("secret@example", .invalidDomain),
            (String(repeating: "s", count: 65) + "@example.com", .localPartTooLong),
            (String(repeating: "s", count: 250) + "@example.com", .tooLong),
            // 252 bytes as typed, 276 once the domain is punycode (a canonical form that was not a fixed point; fuzz finding).
            (String(repeating: "s", count: 64) + "@" + Array(repeating: String(repeating: "b", count: 44) + "ü", count: 4).joined(separator: "."),
                .tooLong),
        ]
        for (address, rule) in cases {
            do {
                _ = try CanonicalEmail(address)
                Issue.record("accepted \(address.debugDescription)")
            } catch {
                #expect(error.rule == rule)
                #expect(!error.description.contains("secret"))
                #expect(!error.description.isEmpty)
            }
        }
    }

    @Test("interpolating or dumping a canonical address does not reveal it")
    func redacted() throws {
        let email = try CanonicalEmail("private.person@example.org")
        var dumped = ""
        dump(email, to: &dumped)
        #expect(!"\(email)".contains("private"))
        #expect(!String(reflecting: email).contains("private"))
        #expect(!dumped.contains("private"))
    }

    /// Local parts mixing case, dots, tags and non-ASCII letters; a missing element cannot happen (the list is not empty).
    static let localPart = Gen<Character?>.element(of: Array("aZ09.+-_'ÉéßÖİΣ") as [Character])
        .map { $0 ?? "a" }.string(of: 1...20)
    static let domain = Gen<String?>.element(of: [
        "example.com", "Example.ORG", "gmail.com", "GoogleMail.com", "bücher.example.com", "xn--bcher-kva.example.com",
        "straße.example.org",
    ]).map { $0 ?? "example.com" }

    @Test("canonicalization is idempotent")
    func idempotent() async {
        let canonicalized = Mutex(0)
        await propertyCheck(count: 300, input: Self.localPart, Self.domain) { local, domain in
            guard let once = try? CanonicalEmail(" \(local)@\(domain) ") else { return }
            canonicalized.withLock { $0 += 1 }
            #expect((try? CanonicalEmail(once.value)) == once)
        }
        // Most generated addresses are valid; a property that held only because nothing was valid would not count.
        #expect(canonicalized.withLock { $0 } > 100)
    }

    /// ASCII local parts and domains rich in the cases the fast path must hand over: case, dots, tags, specials, white
    /// space, quotes, a second `@`, hyphens at label edges, `xn--` and `ab--` labels, empty labels, gmail and googlemail.
    static let asciiLocal = Gen<String?>.element(of: [
        "a", "Z", "0", ".", "+", "-", "_", "'", "Jane", "doe", "x+tag", " ", "\t", "\"", "(", ",", "@", "\u{7F}",
    ]).map { $0 ?? "a" }.array(of: 1...6).map { $0.joined() }
    static let asciiDomain = Gen<String?>.element(of: [
        "example.org", "Example.COM", "gmail.com", "GoogleMail.com", "a.b", "xn--x.org", "ab--cd.org", "-a.org", "a-.org",
        "a..org", "org", "a_b.org", "x.y.z", "example.org.", " ", "@", "1.2",
    ]).map { $0 ?? "example.org" }

    @Test("property: the ASCII fast path gives what the full path gives, or hands the address over")
    func asciiFastPathAgrees() async {
        let fast = Mutex(0)
        await propertyCheck(count: 3000, input: Self.asciiLocal, Self.asciiDomain) { local, domain in
            let address = local + "@" + domain
            let full = Result { () throws(EmailAddressError) in try CanonicalEmail(fullPath: address).value }
            guard let quick = CanonicalEmail.asciiFastPath(address) else { return }
            fast.withLock { $0 += 1 }
            #expect((try? full.get()) == quick, "\(address.debugDescription): fast \(quick), full \(full)")
        }
        // The generator reaches the fast path often enough for the comparison to mean something.
        #expect(fast.withLock { $0 } > 100)
        // And everyday addresses take it.
        #expect(CanonicalEmail.asciiFastPath("  Jane.Doe+petitions@GoogleMail.com ") == "janedoe@gmail.com")
        #expect(CanonicalEmail.asciiFastPath("bücher@example.com") == nil)
        #expect(CanonicalEmail.asciiFastPath("a@xn--bcher-kva.example.com") == nil)
    }
}
