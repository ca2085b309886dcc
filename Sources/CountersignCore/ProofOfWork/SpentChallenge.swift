import Foundation

/// A challenge whose solution was accepted, as the store remembers it until ``expires``: its SHA-256 value, which the
/// signature covers, so that no two challenges share it. A database store keeps the expiry rounded up to the hour, as a
/// pending row's (``PendingRequest/hourCeiling(_:)``): a stored row dates no sign finer than an hour.
public struct SpentChallenge: Sendable, Equatable {
    /// `SHA-256(salt ‖ number)`, 32 bytes.
    public let digest: [UInt8]
    /// The challenge's expiry.
    public let expires: Date

    public init(digest: [UInt8], expires: Date) {
        self.digest = digest
        self.expires = expires
    }
}
