import CountersignCrypto
import Foundation

/// Why a store operation was refused or failed. Nothing was written when one is thrown.
public struct StoreError: CodedError {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Internal: String {
            case unknownPetition = "unknown-petition"
            case duplicatePetition = "duplicate-petition"
            case petitionNotOpen = "petition-not-open"
            case invalidRegion = "invalid-region"
            case invalidTransition = "invalid-transition"
            case releaseRefused = "release-refused"
            case rekeyed
            case newerSchema = "newer-schema"
            case corruptDatabase = "corrupt-database"
            case unavailable
            case database
        }

        private let value: Internal

        /// No petition has this slug.
        public static var unknownPetition: Self { .init(value: .unknownPetition) }
        /// A petition with this slug exists already.
        public static var duplicatePetition: Self { .init(value: .duplicatePetition) }
        /// The petition is paused or closed, so it takes no signatures.
        public static var petitionNotOpen: Self { .init(value: .petitionNotOpen) }
        /// The region is not one of the petition's regions.
        public static var invalidRegion: Self { .init(value: .invalidRegion) }
        /// The petition cannot move to the requested state from its current one.
        public static var invalidTransition: Self { .init(value: .invalidTransition) }
        /// The petition was re-keyed while the request was being made; compute the pseudonym again and retry.
        public static var rekeyed: Self { .init(value: .rekeyed) }
        /// The privacy ledger refuses the release (``PrivacyLedger``).
        public static var releaseRefused: Self { .init(value: .releaseRefused) }
        /// The database was written by a newer Countersign.
        public static var newerSchema: Self { .init(value: .newerSchema) }
        /// The database file is damaged or not a Countersign database.
        public static var corruptDatabase: Self { .init(value: .corruptDatabase) }
        /// The database cannot be reached.
        public static var unavailable: Self { .init(value: .unavailable) }
        /// Any other database failure.
        public static var database: Self { .init(value: .database) }

        public var description: String { value.rawValue }
    }

    public let code: Code
    /// What went wrong and what to do about it. Never holds signer data.
    public let reason: String
    public let fileID: String
    public let line: UInt

    public init(_ code: Code, _ reason: String, fileID: String = #fileID, line: UInt = #line) {
        self.code = code
        self.reason = reason
        self.fileID = fileID
        self.line = line
    }

    // MARK: - Refusals: each message is written here once.

    public static func unknownPetition(_ slug: PetitionSlug) -> StoreError {
        StoreError(.unknownPetition, "no petition has the slug \(slug)")
    }

    public static func rekeyed(_ slug: PetitionSlug) -> StoreError {
        StoreError(.rekeyed, "petition \(slug) was re-keyed while this request was made; compute the pseudonym again")
    }

    public static func ambiguousTokenID(_ id: String) -> StoreError {
        StoreError(.invalidTransition, "two tokens share the id \(id); revoking by it would cut off both holders, so nothing was revoked")
    }

    public static func notOpen(_ slug: PetitionSlug, _ state: PetitionState) -> StoreError {
        StoreError(.petitionNotOpen, "petition \(slug) is \(state.rawValue) and takes no signatures")
    }

    public static func duplicatePetition(_ slug: PetitionSlug) -> StoreError {
        StoreError(.duplicatePetition, "a petition with the slug \(slug) exists already")
    }

    public static func invalidRegion(_ slug: PetitionSlug) -> StoreError {
        StoreError(.invalidRegion, "the region is not one of petition \(slug)'s regions")
    }

    public static func closedIsFinal(_ slug: PetitionSlug, _ next: PetitionState) -> StoreError {
        StoreError(.invalidTransition, "petition \(slug) is closed; a closed petition cannot be \(next.rawValue)")
    }

    public static func shredBeforeClose(_ slug: PetitionSlug, _ state: PetitionState) -> StoreError {
        StoreError(.invalidTransition, "petition \(slug) is \(state.rawValue); close it, then shred it after the retention period")
    }

    public static func retentionNotOver(_ slug: PetitionSlug, closed: Date, due: Date) -> StoreError {
        StoreError(.invalidTransition, "petition \(slug) closed on \(UTCDay.of(closed)); its retention period ends on \(UTCDay.of(due)); shred it then, or pass a shorter --retention-days")
    }

    public static func rekeyShredded(_ slug: PetitionSlug) -> StoreError {
        StoreError(.invalidTransition, "petition \(slug)'s key was shredded; there are no pseudonyms to re-key")
    }

    public static func strayCountEvents(epoch: Int, open: Int) -> StoreError {
        StoreError(
            .corruptDatabase,
            "pending count events name epoch \(epoch) while epoch \(open) is open, so no close can append them in order; an instance older than this schema may be writing to the database: stop it, then restore the database from a backup")
    }
}

extension StoreError {
    /// Runs `body`, a caller's closure that a store calls inside its transaction (a commitment to make, an epoch to
    /// decide); what it throws comes out as a store error, so that the transaction rolls back with a typed reason.
    public static func calling<T>(_ what: String, _ body: () throws -> T) throws(StoreError) -> T {
        do {
            return try body()
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.database, "\(what) failed: \(error)")
        }
    }
}
