import NIOConcurrencyHelpers
import NIOCore

/// The connections open now, in all and per client address.
final class ConnectionCounter: Sendable {
    private struct Counts {
        var total = 0
        var byClient: [String: Int] = [:]
    }

    private let counts = NIOLockedValueBox(Counts())

    /// Counts a new connection from `client` unless it would pass a cap; the cap it would pass otherwise.
    func admit(_ client: String, limits: ListenerLimits) -> ConnectionCapHandler.Cap? {
        counts.withLockedValue { counts in
            let fromClient = counts.byClient[client, default: 0]
            guard counts.total < limits.maxConnections else { return .total }
            guard fromClient < limits.maxConnectionsPerClient else { return .perClient }
            counts.total += 1
            counts.byClient[client] = fromClient + 1
            return nil
        }
    }

    /// Forgets a closed connection of `client`.
    func release(_ client: String) {
        counts.withLockedValue { counts in
            counts.total -= 1
            let left = counts.byClient[client, default: 1] - 1
            counts.byClient[client] = left > 0 ? left : nil
        }
    }

    /// How many connections are open.
    var open: Int { counts.withLockedValue { $0.total } }
}

/// On the listening socket: closes an accepted connection at once when the listener already holds
/// ``ListenerLimits/maxConnections`` connections, or ``ListenerLimits/maxConnectionsPerClient`` from the same
/// client address, so one client cannot take every file descriptor.
final class ConnectionCapHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = any Channel
    typealias InboundOut = any Channel

    /// The cap a refused connection would have passed.
    enum Cap: String, CaseIterable {
        case total = "max_connections"
        case perClient = "per_client"
    }

    private let counter: ConnectionCounter
    private let limits: NIOLockedValueBox<ListenerLimits>
    private let metrics: GatewayMetrics?

    init(counter: ConnectionCounter, limits: NIOLockedValueBox<ListenerLimits>, metrics: GatewayMetrics?) {
        self.counter = counter
        self.limits = limits
        self.metrics = metrics
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let connection = unwrapInboundIn(data)
        let client = connection.remoteAddress?.ipAddress ?? ""
        if let cap = counter.admit(client, limits: limits.withLockedValue { $0 }) {
            metrics?.recordRejectedConnection(cap)
            connection.close(promise: nil)
            return
        }
        let counter = counter
        connection.closeFuture.whenComplete { _ in counter.release(client) }
        context.fireChannelRead(data)
    }
}

@available(*, unavailable)
extension ConnectionCapHandler: Sendable {}
