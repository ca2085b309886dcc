import CountersignCore
import Foundation
import Logging
import NIOCore

/// The one path from a signer's request to the mail queue: the network's rate limit first (429), then a queue slot
/// (503), both before anything is written; then the checks that do not depend on the signer's state (4xx). Then the
/// request is answered, and only then does the rest run (a sign is counted for its network's trend, then
/// ``SigningService/complete(_:)``: the pseudonym, the mail cap, the store and the mail), so that nothing that depends
/// on whether an address signed can show in the response or in its timing. A failure there is logged, without the
/// address, and sends nothing.
struct MailSender: Sendable {
    let queue: MailQueue
    let limiter: NetworkRateLimiter?
    let service: SigningService
    let logger: Logger
    /// Sees each admitted sign request's network.
    var trends: TrendMonitor?
    /// Names the client's network, for the rate limit and the trends alike.
    var networks = NetworkIdentifier()

    /// The name of `address`'s network, for the rate limit, the trends and the proof of work: computed once a request.
    func network(of address: SocketAddress?) throws(APIError) -> NetworkID {
        do {
            return try networks.id(of: address)
        } catch {
            throw .internal
        }
    }

    func send(from network: NetworkID, _ prepare: () async throws(SigningError) -> SignerRequest) async throws(APIError) {
        if let wait = limiter?.acquire(network) { throw .rateLimited(retryAfter: wait) }
        guard await queue.reserve() else { throw .mailQueueFull() }
        let request: SignerRequest
        do {
            request = try await prepare()
        } catch {
            await queue.fulfil(nil)
            throw .from(error)
        }
        // The reservation is held until the completion fulfils it, so a draining queue waits for it.
        Task { [queue, service, logger, trends] in
            if request.kind == .sign { trends?.observeSign(from: network) }
            let mail: OutgoingMail?
            do throws(SigningError) {
                mail = try await service.complete(request)
            } catch {
                logger.warning("a signer's request failed after it was answered", metadata: ["kind": "\(request.kind)", "error": "\(error.reason)"])
                mail = nil
            }
            await queue.fulfil(mail)
        }
    }
}
