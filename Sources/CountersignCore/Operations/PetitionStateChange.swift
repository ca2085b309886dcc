import Foundation

/// `countersign petition pause|resume|close`: moves a petition to a new state and logs the change.
public enum PetitionStateChange {
    public static func run(_ state: PetitionState, of slug: PetitionSlug, store: any SignatureStore, now: Date) async throws {
        try await store.setState(state, of: slug, at: now)
        // A change whose logging fails here is logged by the next command or by serve's catch-up (``PetitionEvents``).
        try await PetitionEvents.record(in: store, now: now)
    }
}
