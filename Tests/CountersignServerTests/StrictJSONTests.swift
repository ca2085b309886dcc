@testable import CountersignServer
import Testing

@Suite("Strict JSON")
struct StrictJSONTests {
    static func accepts(_ text: String) -> Bool { StrictJSON.isAcceptable(Array(text.utf8)) }

    @Test("ordinary bodies pass")
    func ordinary() {
        #expect(Self.accepts(#"{"email":"a@example.org","region":"Texas"}"#))
        #expect(Self.accepts(#" {"token": "abc", "n": -1.5e3, "ok": true, "x": null, "list": [1, {"a": []}]} "#))
        #expect(Self.accepts(#"{"a":{"k":1},"b":{"k":2}}"#), "the same key in two objects is two keys")
    }

    @Test("a key given twice is refused, however it is spelled")
    func duplicates() {
        #expect(!Self.accepts(#"{"token":"a","token":"b"}"#))
        #expect(!Self.accepts(#"{"token":"a","\u0074oken":"b"}"#))
        #expect(!Self.accepts(#"{"x":{"e":1,"e":2}}"#))
    }

    @Test("deep nesting and malformed text are refused")
    func malformed() {
        #expect(!Self.accepts(String(repeating: "[", count: 17) + String(repeating: "]", count: 17)))
        #expect(Self.accepts(String(repeating: "[", count: 16) + String(repeating: "]", count: 16)))
        #expect(!Self.accepts(#"{"a":1,}"#))
        #expect(!Self.accepts(#"{"a":"unterminated}"#))
        #expect(!Self.accepts("{\"a\":\"raw\ncontrol\"}"))
        #expect(!Self.accepts(#"{"a":1} trailing"#))
        #expect(!Self.accepts(""))
    }
}
