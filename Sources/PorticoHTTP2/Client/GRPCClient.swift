import Logging
import NIOCore

/// A gRPC client for one backend address, with one connection pool per event loop.
///
/// The gateway calls it from the event loop that owns the public request: the call runs in that loop's
/// pool and the returned future completes on that loop, with no thread hop. Called from elsewhere, the
/// call hops to the chosen loop once. Messages are opaque bytes; the caller does the protobuf work.
public final class GRPCClient: Sendable {
    private let group: any EventLoopGroup
    private let pools: [ObjectIdentifier: NIOLoopBoundBox<GRPCConnectionPool?>]
    private let host: String
    private let port: Int
    private let configuration: GRPCClientConfiguration
    private let logger: Logger

    /// A client for `host:port` whose pools live on the loops of `group`.
    public init(
        host: String,
        port: Int,
        group: any EventLoopGroup,
        configuration: GRPCClientConfiguration = GRPCClientConfiguration(),
        logger: Logger = Logger(label: "portico.grpc.client")
    ) {
        self.group = group
        self.host = host
        self.port = port
        self.configuration = configuration
        self.logger = logger
        var pools: [ObjectIdentifier: NIOLoopBoundBox<GRPCConnectionPool?>] = [:]
        for loop in group.makeIterator() {
            pools[ObjectIdentifier(loop)] = .makeEmptyBox(valueType: GRPCConnectionPool.self, eventLoop: loop)
        }
        self.pools = pools
    }

    /// Starts a unary call to `path` (`/package.Service/Method`).
    ///
    /// - Parameter eventLoop: the loop whose pool runs the call and completes the future; by default the
    ///   current loop when it belongs to the client's group.
    /// - Returns: the call; its `response` fails with a ``GRPCCallError``.
    public func unary(
        _ path: String,
        request: ByteBuffer,
        options: GRPCCallOptions = GRPCCallOptions(),
        on eventLoop: (any EventLoop)? = nil
    ) -> GRPCCall<GRPCUnaryResponse> {
        unary(path, requests: [request], options: options, on: eventLoop)
    }

    /// Starts a call with one answer to all of `requests`: a client-streaming call whose client messages are
    /// known when it starts (one request makes a unary call).
    public func unary(
        _ path: String,
        requests: [ByteBuffer],
        options: GRPCCallOptions = GRPCCallOptions(),
        on eventLoop: (any EventLoop)? = nil
    ) -> GRPCCall<GRPCUnaryResponse> {
        let box = poolBox(for: eventLoop)
        let canceller = GRPCCallCanceller(eventLoop: box.eventLoop)
        let response: EventLoopFuture<GRPCUnaryResponse>
        if box.eventLoop.inEventLoop {
            response = pool(in: box).unary(path: path, requests: requests, options: options, canceller: canceller)
        } else {
            response = box.eventLoop.flatSubmit {
                self.pool(in: box).unary(path: path, requests: requests, options: options, canceller: canceller)
            }
        }
        return GRPCCall(response: response, canceller: canceller)
    }

    /// Starts a server-streaming call; `onMessage` runs on the call's event loop for each message, in
    /// order. When it returns a future, the message's bytes count against the flow-control window until
    /// that future completes, so a slow consumer slows the server down.
    public func serverStreaming(
        _ path: String,
        request: ByteBuffer,
        options: GRPCCallOptions = GRPCCallOptions(),
        on eventLoop: (any EventLoop)? = nil,
        onMessage: @escaping @Sendable (ByteBuffer) -> EventLoopFuture<Void>?
    ) -> GRPCCall<GRPCStreamSummary> {
        serverStreaming(path, requests: [request], options: options, on: eventLoop, onMessage: onMessage)
    }

    /// Starts a call with a stream of answers to all of `requests`: a bidirectional call whose client
    /// messages are known when it starts (one request makes a server-streaming call). `onMessage` is as for
    /// ``serverStreaming(_:request:options:on:onMessage:)``.
    public func serverStreaming(
        _ path: String,
        requests: [ByteBuffer],
        options: GRPCCallOptions = GRPCCallOptions(),
        on eventLoop: (any EventLoop)? = nil,
        onMessage: @escaping @Sendable (ByteBuffer) -> EventLoopFuture<Void>?
    ) -> GRPCCall<GRPCStreamSummary> {
        let box = poolBox(for: eventLoop)
        let canceller = GRPCCallCanceller(eventLoop: box.eventLoop)
        let response: EventLoopFuture<GRPCStreamSummary>
        if box.eventLoop.inEventLoop {
            response = pool(in: box).serverStreaming(path: path, requests: requests, options: options, canceller: canceller, onMessage: onMessage)
        } else {
            response = box.eventLoop.flatSubmit {
                self.pool(in: box).serverStreaming(path: path, requests: requests, options: options, canceller: canceller, onMessage: onMessage)
            }
        }
        return GRPCCall(response: response, canceller: canceller)
    }

    /// Starts a call whose client messages are sent as they come (client-streaming or bidirectional): write
    /// them with the returned writer and finish it; the answers go to `onMessage` as for
    /// ``serverStreaming(_:request:options:on:onMessage:)`` (a client-streaming method's one answer too).
    /// Such a call is never retried transparently: its messages are not kept.
    public func streamingCall(
        _ path: String,
        options: GRPCCallOptions = GRPCCallOptions(),
        on eventLoop: (any EventLoop)? = nil,
        onMessage: @escaping @Sendable (ByteBuffer) -> EventLoopFuture<Void>?
    ) -> (call: GRPCCall<GRPCStreamSummary>, requests: GRPCRequestWriter) {
        let box = poolBox(for: eventLoop)
        let canceller = GRPCCallCanceller(eventLoop: box.eventLoop)
        let writer = GRPCRequestWriter(eventLoop: box.eventLoop, maximumMessageSize: configuration.maximumSendMessageSize)
        let response: EventLoopFuture<GRPCStreamSummary>
        if box.eventLoop.inEventLoop {
            response = pool(in: box).streamingCall(path: path, writer: writer, options: options, canceller: canceller, onMessage: onMessage)
        } else {
            response = box.eventLoop.flatSubmit {
                self.pool(in: box).streamingCall(path: path, writer: writer, options: options, canceller: canceller, onMessage: onMessage)
            }
        }
        return (GRPCCall(response: response, canceller: canceller), writer)
    }

    /// Runs a unary call from async code (an edge: tests, tools, the CLI).
    public func unaryResponse(_ path: String, request: ByteBuffer, options: GRPCCallOptions = GRPCCallOptions()) async throws -> GRPCUnaryResponse {
        try await unary(path, request: request, options: options, on: nil).response.get()
    }

    /// The counters of every pool, summed.
    public func statistics() -> EventLoopFuture<GRPCClientStatistics> {
        let futures = pools.values.map { box in
            box.eventLoop.submit { box.value?.statistics ?? .zero }
        }
        return EventLoopFuture.reduce(.zero, futures, on: group.any(), +)
    }

    /// Closes every connection and fails queued calls.
    public func close() -> EventLoopFuture<Void> {
        let futures = pools.values.map { box in
            box.eventLoop.flatSubmit { box.value?.close() ?? box.eventLoop.makeSucceededVoidFuture() }
        }
        return EventLoopFuture.andAllComplete(futures, on: group.any())
    }

    private func poolBox(for eventLoop: (any EventLoop)?) -> NIOLoopBoundBox<GRPCConnectionPool?> {
        if let eventLoop, let box = pools[ObjectIdentifier(eventLoop)] { return box }
        let loop = group.any()
        return pools[ObjectIdentifier(loop)] ?? pools[ObjectIdentifier(group.next())]!
    }

    private func pool(in box: NIOLoopBoundBox<GRPCConnectionPool?>) -> GRPCConnectionPool {
        if let pool = box.value { return pool }
        let pool = GRPCConnectionPool(host: host, port: port, configuration: configuration, eventLoop: box.eventLoop, logger: logger)
        box.value = pool
        return pool
    }
}
