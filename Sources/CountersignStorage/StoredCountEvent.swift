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

    /// The event a row holds; throws on a row no Countersign writes.
    static func event(kind: Int16, commitment: Data?, hour: Int64) throws -> PendingCountEvent {
        let date = StoredValue.date(hour)
        switch (kind, commitment) {
        case (1, let c?): return PendingCountEvent(.confirm(try ReceiptCommitment(bytes: Array(c))), hour: date)
        case (2, let c?): return PendingCountEvent(.withdraw(try ReceiptCommitment(bytes: Array(c))), hour: date)
        case (3, nil): return PendingCountEvent(.shred, hour: date)
        default: throw StoreError(.corruptDatabase, "a count_pending row has kind \(kind) and \(commitment == nil ? "no" : "a") commitment; restore the database from a backup")
        }
    }
}
