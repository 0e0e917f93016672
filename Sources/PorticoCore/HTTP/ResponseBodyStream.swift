import NIOCore

/// Where a streamed response body goes: the listener's side of one response, confined to the connection's
/// event loop.
///
/// HTTP/1.1 writes chunks (`transfer-encoding: chunked`, or up to the close for HTTP/1.0); HTTP/2 writes DATA
/// frames on the stream.
package protocol ResponseBodySink: AnyObject {
    /// Writes one piece of the body. The future completes once the client has room for more (the bytes are
    /// with the socket, or within the HTTP/2 stream's buffer bound), and fails once the client is gone: it
    /// is the backpressure the producer follows.
    func write(_ chunk: ByteBuffer) -> EventLoopFuture<Void>

    /// Ends the body as complete (the last chunk, or END_STREAM).
    func finish()

    /// Ends the body so that no client takes it for complete: the HTTP/1.1 connection closes without the
    /// last chunk, the HTTP/2 stream is reset with `INTERNAL_ERROR`.
    func abort()
}

/// A response body that is written while it is produced (a server stream relayed as it flows).
///
/// The listener writes the response head, then calls ``start(into:)`` on the connection's event loop; the
/// source writes into the sink until it finishes or aborts. A listener that will not write the body (a
/// `HEAD` request, a closed connection) calls ``cancel()`` instead.
package protocol ResponseBodySource: Sendable {
    /// Starts writing into `sink`; called once, on the connection's event loop.
    func start(into sink: any ResponseBodySink)

    /// Stops the production without writing: the body will not be sent.
    func cancel()
}
