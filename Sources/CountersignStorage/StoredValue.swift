import CountersignCore
import Foundation

/// How both database stores encode values: dates as whole Unix seconds, petition states as their raw text.
enum StoredValue {
    static func seconds(_ date: Date) -> Int64 { Int64(date.timeIntervalSince1970.rounded(.down)) }

    static func date(_ seconds: Int64) -> Date { Date(timeIntervalSince1970: TimeInterval(seconds)) }

    static func state(_ text: String) throws -> PetitionState {
        guard let state = PetitionState(rawValue: text) else {
            throw StoreError(.corruptDatabase, "a petition has the unknown state \(text)")
        }
        return state
    }
}
