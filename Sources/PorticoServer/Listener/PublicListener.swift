import NIOCore
import NIOExtras
import NIOHTTP1
import NIOConcurrencyHelpers
import NIOPosix
import NIOSSL

/// The public listener: HTTP/1.1 (keep-alive, pipelining) and HTTP/2 (h2 by ALPN over TLS, h2c with prior
/// knowledge), head and body limits, request timeouts, connection caps, accept back-off when the process runs
/// out of file descriptors, and graceful shutdown.
///
/// Each connection stays on one event loop from first byte to last (DESIGN §3.9).
package final class PublicListener: Sendable {
    private let channel: any Channel
    /// Released once shutdown has drained: its deinit resolves a promise on the group, which must still run
    /// then (a helper released after the group shut down makes NIO report a task scheduled on a dead loop).
    private let quiescing: NIOLockedValueBox<ServerQuiescingHelper?>
    private let limits: NIOLockedValueBox<ListenerLimits>
    private let connections: ConnectionCounter
    /// The TLS context new connections handshake with; `nil` for plain HTTP.
    private let tls: NIOLockedValueBox<NIOSSLContext?>

    /// The address the listener is bound to (its real port when bound to port 0).
    package var localAddress: SocketAddress? { channel.localAddress }

    /// The connections open now.
    package var openConnections: Int { connections.open }

    private init(
        channel: any Channel, quiescing: ServerQuiescingHelper, limits: NIOLockedValueBox<ListenerLimits>, connections: ConnectionCounter,
        tls: NIOLockedValueBox<NIOSSLContext?>
    ) {
        self.channel = channel
        self.quiescing = NIOLockedValueBox(quiescing)
        self.limits = limits
        self.connections = connections
        self.tls = tls
    }

    /// Makes new connections handshake with `context` (a reload); open ones keep theirs.
    package func apply(tls context: NIOSSLContext) {
        tls.withLockedValue { $0 = context }
    }

    /// Makes `limits` apply to the connections accepted from now on (a reload); open ones keep theirs.
    package func apply(_ limits: ListenerLimits) {
        self.limits.withLockedValue { $0 = limits }
    }

    /// Binds `host:port` and starts serving with `responder`, over TLS with `tls`.
    ///
    /// - Throws: the socket error when the address cannot be bound.
    package static func bind(
        host: String,
        port: Int,
        group: any EventLoopGroup,
        limits: ListenerLimits,
        tls: NIOSSLContext? = nil,
        metrics: GatewayMetrics? = nil,
        responder: any GatewayResponder
    ) async throws -> PublicListener {
        let quiescing = ServerQuiescingHelper(group: group)
        let current = NIOLockedValueBox(limits)
        let counter = ConnectionCounter()
        let context = NIOLockedValueBox(tls)
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let operations = channel.pipeline.syncOperations
                    try operations.addHandler(AcceptBackoffHandler())
                    try operations.addHandler(quiescing.makeServerChannelHandler(channel: channel))
                    try operations.addHandler(ConnectionCapHandler(counter: counter, limits: current, metrics: metrics))
                }
            }
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 16)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let operations = channel.pipeline.syncOperations
                    if let tls = context.withLockedValue({ $0 }) { try operations.addHandler(NIOSSLServerHandler(context: tls)) }
                    try operations.addHandler(protocolSelection(limits: current.withLockedValue { $0 }, metrics: metrics, responder: responder))
                }
            }
            .bind(host: host, port: port)
            .get()
        return PublicListener(channel: channel, quiescing: quiescing, limits: current, connections: counter, tls: context)
    }

    /// The first handler of a connection (behind TLS): it tells HTTP/2 from HTTP/1.1 by the first bytes and sets
    /// up the connection's pipeline for it.
    static func protocolSelection(limits: ListenerLimits, metrics: GatewayMetrics?, responder: any GatewayResponder) -> ProtocolSelectionHandler {
        ProtocolSelectionHandler(timeout: limits.requestHeadTimeout, lingerTimeout: limits.drainTimeout, metrics: metrics) { wireProtocol, pipeline in
            switch wireProtocol {
            case .http1: try addHandlers(to: pipeline, limits: limits, metrics: metrics, responder: responder)
            case .http2: try pipeline.addHandler(PublicHTTP2Handler(responder: responder, limits: limits, metrics: metrics))
            }
        }
    }

    /// Sets up one HTTP/1.1 connection's pipeline: NIO's HTTP/1.1 codec with pipelining assistance and the head limits,
    /// WebSocket upgrades (``WebSocketUpgrade``), the answers to malformed requests, and the handler that hands
    /// requests to `responder`. Also used by
    /// `InMemoryGateway` (PorticoTesting) on an `EmbeddedChannel`.
    package static func addHandlers(
        to pipeline: ChannelPipeline.SynchronousOperations,
        limits: ListenerLimits,
        metrics: GatewayMetrics? = nil,
        responder: any GatewayResponder
    ) throws {
        let timeouts = RequestTimeoutHandler(limits: limits, metrics: metrics)
        try pipeline.addHandler(timeouts)
        var decoderLimits = NIOHTTPDecoderLimitConfiguration()
        decoderLimits.maxHeaderListSize = limits.maxHeaderBytes
        decoderLimits.maxHeaderFieldSize = limits.maxHeaderBytes
        let webSockets = WebSocketUpgrade(responder: responder, limits: limits, eventLoop: pipeline.eventLoop)
        try pipeline.configureHTTPServerPipeline(
            withPipeliningAssistance: true,
            withServerUpgrade: (upgraders: [webSockets.upgrader], completionHandler: { _ in }),
            withErrorHandling: false,
            withOutboundHeaderValidation: true,
            withEncoderConfiguration: .init(),
            withDecoderLimitConfiguration: decoderLimits
        )
        let pipelining = try pipeline.handler(type: HTTPServerPipelineHandler.self)
        let depth = PipeliningDepthHandler(limit: limits.maxPipelinedRequests)
        let protocolErrors = ProtocolErrorHandler(drainTimeout: limits.drainTimeout)
        let gateway = HTTPGatewayHandler(responder: responder, limits: limits, timeouts: timeouts, webSockets: webSockets)
        try pipeline.addHandler(depth, position: .before(pipelining))
        try pipeline.addHandler(protocolErrors)
        try pipeline.addHandler(gateway)
        webSockets.removesAtUpgrade([timeouts, depth, protocolErrors, gateway])
    }

    /// Returns once the listening socket is closed and no new connection is accepted.
    package func stoppedAccepting() async {
        try? await channel.closeFuture.get()
    }

    /// Stops accepting and lets in-flight requests finish.
    ///
    /// Idle keep-alive connections close at once, busy ones right after their response. It returns when
    /// every connection has closed or `gracePeriod` has passed, whichever comes first; the caller then shuts
    /// the event loop group down, which closes whatever is still open.
    package func shutdown(gracePeriod: TimeAmount) async {
        guard let quiescing = quiescing.withLockedValue({ $0 }) else { return }
        let drained = channel.eventLoop.makePromise(of: Void.self)
        quiescing.initiateShutdown(promise: drained)
        let deadline = channel.eventLoop.scheduleTask(in: gracePeriod) {
            drained.succeed(())
        }
        try? await drained.futureResult.get()
        deadline.cancel()
        try? await channel.closeFuture.get()
        self.quiescing.withLockedValue { $0 = nil }
    }
}
