import CountersignCore
import Foundation

/// How both database stores keep a count event of an open epoch (a `count_pending` row): its kind as a number, its
/// commitment (none for a shred) and its UTC hour in seconds.
struct StoredCountEvent {
    let kind: Int16
    let commitment: Data?
    let hour: Int64

    init(_ event: PendingCountEvent) {
        (kind, commitment) = Self.stored(event.kind)
        hour = StoredValue.seconds(event.hour)
    }

    /// A kind's number and commitment (none for a shred).
    private static func stored(_ kind: CountEvent.Kind) -> (Int16, Data?) {
        switch kind {
        case .confirm(let c): (1, Data(c.bytes))
        case .withdraw(let c): (2, Data(c.bytes))
        case .shred: (3, nil)
        }
    }

    /// The kind of event a row holds; throws on a row no Countersign writes.
    static func kind(_ kind: Int16, commitment: Data?) throws -> CountEvent.Kind {
        switch (kind, commitment) {
        case (1, let c?): return .confirm(try ReceiptCommitment(bytes: Array(c)))
        case (2, let c?): return .withdraw(try ReceiptCommitment(bytes: Array(c)))
        case (3, nil): return .shred
        default: throw StoreError(.corruptDatabase, "a count-log row has kind \(kind) and \(commitment == nil ? "no" : "a") commitment; restore the database from a backup")
        }
    }
}
