import CountersignCore
import Foundation

/// How both database stores keep a count event of an open epoch (a `count_pending` row): its kind as a number, its
/// commitment (none for a shred) and its UTC hour in seconds.
struct StoredCountEvent {
    let kind: Int16
    let commitment: Data?
    let hour: Int64

    init(_ event: PendingCountEvent) {
        switch event.kind {
        case .confirm(let c): (kind, commitment) = (1, Data(c.bytes))
        case .withdraw(let c): (kind, commitment) = (2, Data(c.bytes))
        case .shred: (kind, commitment) = (3, nil)
        }
        hour = StoredValue.seconds(event.hour)
    }

    /// The kind of event a row holds; a shred's row in `count_staging` has an empty commitment where `count_pending`
    /// has none.
    static func kind(_ kind: Int16, commitment: Data?) throws -> CountEvent.Kind {
        switch (kind, commitment) {
        case (1, let c?): return .confirm(try ReceiptCommitment(bytes: Array(c)))
        case (2, let c?): return .withdraw(try ReceiptCommitment(bytes: Array(c)))
        case (3, nil), (3, Data()?): return .shred
        default: throw StoreError(.corruptDatabase, "a count-log row has kind \(kind) and \(commitment == nil ? "no" : "a") commitment; restore the database from a backup")
        }
    }
}
