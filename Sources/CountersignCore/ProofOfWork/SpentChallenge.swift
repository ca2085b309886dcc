import Foundation

/// A challenge whose solution was accepted, as the store remembers it until ``expires``: its SHA-256 value, which the
/// signature covers, so that no two challenges share it. A database store writes ``storedExpiry``, rounded up to the hour
/// as a pending row's (``PendingRequest/hourCeiling(_:)``): a stored row dates no sign finer than an hour.
public struct SpentChallenge: Sendable, Equatable {
    /// `SHA-256(salt ‖ number)`, 32 bytes.
    public let digest: [UInt8]
    /// The challenge's expiry.
    public let expires: Date

    /// The expiry as a database keeps it: ``expires`` rounded up to the hour.
    public var storedExpiry: Date { PendingRequest.hourCeiling(expires) }

    public init(digest: [UInt8], expires: Date) {
        self.digest = digest
        self.expires = expires
    }
}
