import PorticoCore
import Logging
import NIOCore
import NIOSSL
import NIOPosix

/// The connections of one event loop to one backend address, and the calls waiting for a stream.
///
/// Connections open lazily, when a call finds no room, with a connect timeout; a failed connect backs off
/// exponentially with jitter before the next attempt. A call goes to the busiest connection that still
/// has room under both its peer's `SETTINGS_MAX_CONCURRENT_STREAMS` and our own cap. A connection that
/// received GOAWAY takes no new calls and closes when its streams are done; calls the server never
/// processed come back here and run again. Confined to its event loop; not `Sendable`.
final class GRPCConnectionPool: GRPCClientConnectionDelegate {
    private final class Connection {
        enum State {
            case connecting
            case ready(GRPCClientConnectionHandler, any Channel)
        }

        var state = State.connecting

        var handler: GRPCClientConnectionHandler? {
            if case .ready(let handler, _) = state { return handler }
            return nil
        }
    }

    let eventLoop: any EventLoop
    private let host: String
    private let port: Int
    private let configuration: GRPCClientConfiguration
    private let authority: String
    private let logger: Logger
    private var connections: [Connection] = []
    private var waiting = CircularBuffer<GRPCClientCall>()
    private var backoff: ConnectionBackoff
    private var nextConnectAllowed = NIODeadline.uptimeNanoseconds(0)
    private var reconnectTask: Scheduled<Void>?
    /// Ends the queued calls whose deadline passes before they get a stream.
    private lazy var waitingDeadlines = CallDeadlineTimer { [weak self] in
        guard let self else { return nil }
        return self.waiting.expireDeadlines(now: self.eventLoop.now)
    }
    private var isClosed = false
    private(set) var connectAttempts = 0
    private var goAways = 0

    init(host: String, port: Int, configuration: GRPCClientConfiguration, eventLoop: any EventLoop, logger: Logger) {
        self.host = host
        self.port = port
        self.configuration = configuration
        self.eventLoop = eventLoop
        self.logger = logger
        authority = configuration.authority ?? "\(host):\(port)"
        backoff = ConnectionBackoff(policy: configuration.backoff)
    }

    var transparentRetryLimit: Int { configuration.transparentRetryLimit }

    // MARK: Calls

    /// Starts a call with one answer (unary, or client-streaming with `requests` as the client's messages); on
    /// the pool's event loop.
    func unary(path: String, requests: [ByteBuffer], options: GRPCCallOptions, canceller: GRPCCallCanceller) -> EventLoopFuture<GRPCUnaryResponse> {
        let promise = eventLoop.makePromise(of: GRPCUnaryResponse.self)
        submit(path: path, requests: requests, options: options, responder: .unary(promise), canceller: canceller)
        return promise.futureResult
    }

    /// Starts a call with a stream of answers (server-streaming, or bidirectional with `requests` as the client's
    /// messages); `onMessage` runs on the pool's event loop for every message.
    func serverStreaming(
        path: String,
        requests: [ByteBuffer],
        options: GRPCCallOptions,
        canceller: GRPCCallCanceller,
        onMessage: @escaping (ByteBuffer) -> EventLoopFuture<Void>?
    ) -> EventLoopFuture<GRPCStreamSummary> {
        let promise = eventLoop.makePromise(of: GRPCStreamSummary.self)
        submit(path: path, requests: requests, options: options, responder: .serverStreaming(onMessage: onMessage, promise: promise), canceller: canceller)
        return promise.futureResult
    }

    /// Starts a call whose request messages `writer` sends as they come; its answers go to `onMessage`.
    func streamingCall(
        path: String,
        writer: GRPCRequestWriter,
        options: GRPCCallOptions,
        canceller: GRPCCallCanceller,
        onMessage: @escaping (ByteBuffer) -> EventLoopFuture<Void>?
    ) -> EventLoopFuture<GRPCStreamSummary> {
        let promise = eventLoop.makePromise(of: GRPCStreamSummary.self)
        submit(
            path: path, requests: [], writer: writer, options: options, responder: .serverStreaming(onMessage: onMessage, promise: promise),
            canceller: canceller
        )
        return promise.futureResult
    }

    private func submit(
        path: String,
        requests: [ByteBuffer],
        writer: GRPCRequestWriter? = nil,
        options: GRPCCallOptions,
        responder: GRPCClientCall.Responder,
        canceller: GRPCCallCanceller
    ) {
        var framed = ByteBufferAllocator().buffer(capacity: requests.reduce(0) { $0 + GRPCMessageFraming.prefixLength + $1.readableBytes })
        for request in requests { GRPCMessageFraming.frame(request, into: &framed) }
        let call = GRPCClientCall(
            path: path,
            framedRequest: framed,
            requests: writer?.state.value,
            options: options,
            responder: responder,
            maximumReceiveMessageSize: configuration.maximumReceiveMessageSize
        )
        canceller.attach(call)
        if let request = requests.first(where: { $0.readableBytes > configuration.maximumSendMessageSize }) {
            call.fail(.local(.resourceExhausted, "request message of \(request.readableBytes) bytes exceeds the limit of \(configuration.maximumSendMessageSize)"))
            return
        }
        guard !isClosed else {
            call.fail(.unavailable("client is closed", retryable: false))
            return
        }
        call.pool = self
        queue(call)
    }

    /// Queues a call that the server never processed, to run again.
    func retry(_ call: GRPCClientCall) {
        guard !isClosed else {
            call.fail(.unavailable("client is closed", retryable: true))
            return
        }
        queue(call)
    }

    /// Queues `call` and starts what the connections have room for; a call left waiting is timed by the
    /// pool's deadline timer (a started one by its connection's).
    private func queue(_ call: GRPCClientCall) {
        waiting.append(call)
        dispatch()
        if case .queued = call.placement, let deadline = call.options.deadline {
            waitingDeadlines.arm(for: deadline, on: eventLoop)
        }
    }

    /// Takes a queued call out of the queue (cancelled or expired before it got a stream).
    func remove(_ call: GRPCClientCall) {
        if let index = waiting.firstIndex(where: { $0 === call }) { waiting.remove(at: index) }
    }

    // MARK: Dispatch

    private func dispatch() {
        while let call = waiting.first {
            guard let index = ConnectionPoolPlan.pick(connections.lazy.map(load)), let handler = connections[index].handler else { break }
            waiting.removeFirst()
            handler.start(call)
        }
        guard !waiting.isEmpty, !isClosed else { return }
        let connecting = connections.filter { if case .connecting = $0.state { true } else { false } }.count
        let toOpen = ConnectionPoolPlan.connectionsToOpen(
            waitingCalls: waiting.count,
            connecting: connecting,
            openConnections: connections.count,
            streamsPerConnection: configuration.maximumConcurrentStreamsPerConnection,
            maximumConnections: configuration.maximumConnectionsPerEventLoop
        )
        guard toOpen > 0 else { return }
        // The back-off paces extra connections while others are open. With none open or being made, a call
        // that waited for it would turn a refused backend into a timeout: connect now, so the call gets a
        // connection or its answer (`UNAVAILABLE`) within the connect timeout, as Envoy does.
        if NIODeadline.now() < nextConnectAllowed, !connections.isEmpty {
            scheduleReconnect()
            return
        }
        for _ in 0..<toOpen { connect() }
    }

    private func load(_ connection: Connection) -> ConnectionPoolPlan.ConnectionLoad {
        guard let handler = connection.handler else {
            return ConnectionPoolPlan.ConnectionLoad(isReady: false, acceptsStreams: false, activeStreams: 0, streamLimit: 0)
        }
        return ConnectionPoolPlan.ConnectionLoad(
            isReady: true,
            acceptsStreams: handler.canStartCall,
            activeStreams: handler.activeStreamCount,
            streamLimit: handler.streamLimit
        )
    }

    private func scheduleReconnect() {
        guard reconnectTask == nil else { return }
        reconnectTask = eventLoop.assumeIsolated().scheduleTask(deadline: nextConnectAllowed) { [weak self] in
            self?.reconnectTask = nil
            self?.dispatch()
        }
    }

    private func connect() {
        let connection = Connection()
        connections.append(connection)
        connectAttempts += 1
        let configuration = self.configuration
        let authority = self.authority
        ClientBootstrap(group: eventLoop)
            .connectTimeout(configuration.connectTimeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { [host] channel in
                channel.eventLoop.makeCompletedFuture {
                    let operations = channel.pipeline.syncOperations
                    if let tls = configuration.tls {
                        try operations.addHandler(NIOSSLClientHandler(context: tls, serverHostname: configuration.tlsServerName ?? Self.sniName(host)))
                    }
                    try operations.addHandler(GRPCClientConnectionHandler(configuration: configuration, authority: authority))
                }
            }
            .connect(host: host, port: port)
            .assumeIsolated()
            .whenComplete { [weak self] result in
                self?.connected(connection, result: result)
            }
    }

    /// SNI carries host names only (RFC 6066 §3): none for an IP address.
    private static func sniName(_ host: String) -> String? {
        host.contains(":") || host.allSatisfy({ $0.isNumber || $0 == "." }) ? nil : host
    }

    private func connected(_ connection: Connection, result: Result<any Channel, any Error>) {
        switch result {
        case .success(let channel):
            guard channel.isActive, !isClosed, let handler = try? channel.pipeline.syncOperations.handler(type: GRPCClientConnectionHandler.self) else {
                channel.close(promise: nil)
                connectFailed(connection, error: ChannelError.ioOnClosedChannel)
                return
            }
            handler.delegate = self
            connection.state = .ready(handler, channel)
            backoff.reset()
            dispatch()
        case .failure(let error):
            connectFailed(connection, error: error)
        }
    }

    private func connectFailed(_ connection: Connection, error: any Error) {
        connections.removeAll { $0 === connection }
        let delay = backoff.nextDelay { Double.random(in: -1...1) }
        nextConnectAllowed = .now() + delay
        logger.debug("connect to \(host):\(port) failed: \(error); next attempt in \(delay)")
        let stillTrying = connections.contains { if case .connecting = $0.state { true } else { false } }
        let hasReady = connections.contains { $0.handler?.canStartCall == true }
        guard !stillTrying, !hasReady else { return }
        let failed = waiting
        waiting.removeAll()
        for call in failed {
            call.fail(.unavailable("upstream unavailable", retryable: true, cause: "connect to \(host):\(port) failed: \(error)"))
        }
    }

    // MARK: GRPCClientConnectionDelegate

    func connectionCapacityChanged(_ connection: GRPCClientConnectionHandler) {
        dispatch()
    }

    func connectionGoingAway(_ connection: GRPCClientConnectionHandler) {
        goAways += 1
        dispatch()
    }

    func connectionClosed(_ connection: GRPCClientConnectionHandler) {
        connections.removeAll { $0.handler === connection }
        dispatch()
    }

    // MARK: Lifecycle and statistics

    /// Live counts for leak checks and the admin endpoint.
    var statistics: GRPCClientStatistics {
        let handlers = connections.compactMap(\.handler)
        return GRPCClientStatistics(
            connections: connections.count,
            activeStreams: handlers.reduce(0) { $0 + $1.activeStreamCount },
            queuedCalls: waiting.count,
            bufferedBytes: handlers.reduce(0) { $0 + $1.bufferedBytes },
            connectAttempts: connectAttempts,
            goAways: goAways
        )
    }

    /// Fails queued calls and closes every connection; succeeds when all channels are closed.
    func close() -> EventLoopFuture<Void> {
        isClosed = true
        reconnectTask?.cancel()
        reconnectTask = nil
        waitingDeadlines.cancel()
        let failed = waiting
        waiting.removeAll()
        for call in failed { call.fail(.unavailable("client is closed", retryable: false)) }
        var closures: [EventLoopFuture<Void>] = []
        for connection in connections {
            if case .ready(let handler, let channel) = connection.state {
                handler.close()
                closures.append(channel.closeFuture)
            }
        }
        return EventLoopFuture.andAllComplete(closures, on: eventLoop)
    }
}
