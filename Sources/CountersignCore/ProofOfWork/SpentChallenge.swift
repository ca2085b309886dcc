import Foundation

/// A challenge whose solution was accepted, as the store remembers it until ``expires``: its SHA-256 value, which the
/// signature covers, so that no two challenges share it. The expiry is rounded up to the hour, as a pending row's is:
/// a stored row does not date a sign finer than an hour.
public struct SpentChallenge: Sendable, Equatable {
    /// `SHA-256(salt ‖ number)`, 32 bytes.
    public let digest: [UInt8]
    /// The challenge's expiry, rounded up to a whole UTC hour.
    public let expires: Date

    public init(digest: [UInt8], expires: Date) {
        self.digest = digest
        self.expires = PendingRequest.hourCeiling(expires)
    }
}
