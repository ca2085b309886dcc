import CountersignCore
import Foundation
import NIOCore

/// The one path from a signer's request to the mail queue: the network's rate limit first (429), then a
/// queue slot (503), both before anything is written; then the flow; then its mail, if any, is queued.
struct MailSender: Sendable {
    let queue: MailQueue
    let limiter: NetworkRateLimiter?

    func send(from address: SocketAddress?, _ flow: () async throws(SigningError) -> OutgoingMail?) async throws(APIError) {
        if let limiter {
            let wait: TimeInterval?
            do {
                wait = try limiter.acquire(address)
            } catch {
                throw .internal
            }
            if let wait { throw .rateLimited(retryAfter: wait) }
        }
        guard await queue.reserve() else { throw .mailQueueFull() }
        do {
            await queue.fulfil(try await flow())
        } catch {
            await queue.fulfil(nil)
            throw .from(error)
        }
    }
}
