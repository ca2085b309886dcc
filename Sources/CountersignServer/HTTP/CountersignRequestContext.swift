import Hummingbird
import NIOCore

/// The request context: Hummingbird's basic one plus the peer address and the client address behind any trusted
/// proxy, which only the rate limiter reads (it keeps a keyed hash of the network prefix, never the address).
public struct CountersignRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?
    /// The client: ``remoteAddress``, or the address a trusted proxy forwarded (``ClientAddressMiddleware``).
    public var clientAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
        clientAddress = remoteAddress
    }
}
