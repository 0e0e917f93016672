import NIOCore
import PorticoHTTP2

/// Calls the methods of one backend: what the pipeline needs of an upstream.
///
/// `GRPCClient` (gRPC over nghttp2) is the one the gateway runs with; tests give the pipeline an in-memory one
/// (`InMemoryUpstream` in PorticoTesting) to exercise the stages without sockets.
package protocol UpstreamClient: Sendable {
    /// Starts a call with one answer to `path` (`/package.Service/Method`) on `eventLoop`: unary with one
    /// request, client-streaming with any number; the response fails with a `GRPCCallError`.
    func unary(_ path: String, requests: [ByteBuffer], options: GRPCCallOptions, on eventLoop: (any EventLoop)?) -> GRPCCall<GRPCUnaryResponse>

    /// Starts a call with a stream of answers (server-streaming with one request, bidirectional with any
    /// number); `onMessage` runs on `eventLoop` for each message, in order.
    func serverStreaming(
        _ path: String,
        requests: [ByteBuffer],
        options: GRPCCallOptions,
        on eventLoop: (any EventLoop)?,
        onMessage: @escaping @Sendable (ByteBuffer) -> EventLoopFuture<Void>?
    ) -> GRPCCall<GRPCStreamSummary>

    /// Starts a call whose request messages are sent as they come (client-streaming or bidirectional), with
    /// its answers to `onMessage`.
    func streamingCall(
        _ path: String,
        options: GRPCCallOptions,
        on eventLoop: (any EventLoop)?,
        onMessage: @escaping @Sendable (ByteBuffer) -> EventLoopFuture<Void>?
    ) -> (call: GRPCCall<GRPCStreamSummary>, requests: GRPCRequestWriter)

    /// The client's connection and call figures, for the metrics.
    func statistics() -> EventLoopFuture<GRPCClientStatistics>

    /// Closes the client's connections.
    func close() -> EventLoopFuture<Void>
}

extension GRPCClient: UpstreamClient {}
