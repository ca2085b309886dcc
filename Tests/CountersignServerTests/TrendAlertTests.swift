@testable import CountersignServer
import Foundation
import Testing

@Suite("Trend alert body")
struct TrendAlertTests {
    let at = Date(timeIntervalSince1970: 1_800_000_000 + 37)

    @Test("a network alert names the network's id; keys are sorted; the time is given to the minute")
    func network() throws {
        let crossing = TrendCounter.Crossing(level: .alert, kind: .network, name: "00112233445566778899aabbccddeeff", signs: 201, threshold: 200)
        let body = String(decoding: try TrendAlert(crossing: crossing, at: at).json(), as: UTF8.self)
        #expect(body == #"{"at":"2027-01-15T08:00:00Z","kind":"network","network":"00112233445566778899aabbccddeeff","signs":201,"#
            + #""threshold":200,"type":"countersign.trend-alert","window":3600}"#)
    }

    @Test("a domain alert names the domain")
    func domain() throws {
        let crossing = TrendCounter.Crossing(level: .alert, kind: .domain, name: "crowd.example", signs: 200, threshold: 200)
        let body = try JSONSerialization.jsonObject(with: TrendAlert(crossing: crossing, at: at).json()) as? [String: Any]
        #expect(body?.keys.sorted() == ["at", "domain", "kind", "signs", "threshold", "type", "window"])
        #expect(body?["domain"] as? String == "crowd.example")
    }
}
