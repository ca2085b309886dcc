import NIOCore
import NIOHTTPTypes
import Synchronization

/// Guards the server against slow and too many clients, one instance per connection: at most
/// ``OpenConnections/limit`` connections are open at once (one more is closed at once), and a request's body must
/// arrive within ``bodyDeadline`` of its head, or the connection is closed. The head itself must arrive within the
/// idle timeout, which Hummingbird enforces: it counts a connection idle until a whole head has been read.
final class ConnectionGuard: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    /// The count of open connections, shared by every connection's guard.
    final class OpenConnections: Sendable {
        let limit: Int
        private let count = Atomic(0)

        init(limit: Int) {
            self.limit = limit
        }

        /// Counts one more connection; returns whether it is within the limit.
        func open() -> Bool { count.add(1, ordering: .relaxed).newValue <= limit }
        func close() { count.subtract(1, ordering: .relaxed) }
        var current: Int { count.load(ordering: .relaxed) }
    }

    private let connections: OpenConnections
    private let bodyDeadline: TimeAmount
    private var counted = false
    private var deadline: Scheduled<Void>?

    init(connections: OpenConnections, bodyDeadline: TimeAmount) {
        self.connections = connections
        self.bodyDeadline = bodyDeadline
    }

    func handlerAdded(context: ChannelHandlerContext) {
        counted = true
        if !connections.open() { context.close(promise: nil) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        if counted { connections.close() }
        counted = false
        deadline?.cancel()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            let channel = context.channel
            deadline = context.eventLoop.scheduleTask(in: bodyDeadline) { channel.close(promise: nil) }
        case .end:
            deadline?.cancel()
            deadline = nil
        case .body:
            break
        }
        context.fireChannelRead(data)
    }
}
