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

    /// Key layers are stored as one blob: the 64-byte wrapped keys one after another.
    static func layers(_ keys: [WrappedPetitionKey]) -> Data { Data(keys.flatMap(\.bytes)) }

    static func layers(_ data: Data) throws -> [WrappedPetitionKey] {
        let bytes = Array(data)
        guard bytes.count % WrappedPetitionKey.length == 0 else {
            throw StoreError(.corruptDatabase, "a petition's key layers have \(bytes.count) bytes, not a multiple of \(WrappedPetitionKey.length)")
        }
        return try stride(from: 0, to: bytes.count, by: WrappedPetitionKey.length).map {
            try WrappedPetitionKey(bytes: Array(bytes[$0..<$0 + WrappedPetitionKey.length]))
        }
    }

    static func role(_ text: String) throws -> AccessRole {
        guard let role = AccessRole(rawValue: text) else { throw StoreError(.corruptDatabase, "an access token has the unknown role \(text)") }
        return role
    }

    /// A release's completed-day counts, stored as a JSON object.
    static func json(_ counts: [String: Int]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(counts), as: UTF8.self)
    }

    static func counts(_ text: String) throws -> [String: Int] {
        try JSONDecoder().decode([String: Int].self, from: Data(text.utf8))
    }
}
