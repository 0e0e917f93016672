import NIOCore
import NIOSSL

/// How a ``GRPCClient`` talks to one backend: limits, timeouts, pool sizes and keepalive.
public struct GRPCClientConfiguration: Sendable {
    /// The `:authority` to send; `host:port` of the backend when `nil`.
    public var authority: String?
    /// The `user-agent` header.
    public var userAgent = "portico-grpc/0.1"
    /// The largest response message accepted (after decompression); larger ones fail `RESOURCE_EXHAUSTED`.
    public var maximumReceiveMessageSize = 4 * 1024 * 1024
    /// The largest request message sent; larger ones fail `RESOURCE_EXHAUSTED` without being sent.
    public var maximumSendMessageSize = 4 * 1024 * 1024
    /// Our own cap on concurrent streams per connection (the peer's SETTINGS may lower it).
    public var maximumConcurrentStreamsPerConnection = 100
    /// The most connections per event loop to this backend; the pool opens them only when the open ones are
    /// full, so long-lived streams (watches) get room for 1,600 calls per loop without idle connections.
    public var maximumConnectionsPerEventLoop = 16
    /// How long a TCP connect may take.
    public var connectTimeout: TimeAmount = .seconds(5)
    /// Reconnection backoff after a failed connect.
    public var backoff = ConnectionBackoff.Policy()
    /// How often to PING a connection that has streams open; `nil` turns keepalive off.
    public var keepaliveInterval: TimeAmount? = .seconds(60)
    /// How long to wait for the PING acknowledgement before declaring the peer dead.
    public var keepaliveTimeout: TimeAmount = .seconds(20)
    /// How long a connection may stay without streams before it is closed.
    public var idleTimeout: TimeAmount = .minutes(5)
    /// The connection-level receive window.
    public var connectionWindowSize = 64 * 1024 * 1024
    /// How many times a call the server never processed is sent again transparently.
    public var transparentRetryLimit = 3
    /// TLS to the backend (`https` with ALPN `h2`); `nil` for cleartext HTTP/2 with prior knowledge.
    public var tls: NIOSSLContext?
    /// The name the backend's certificate is checked against and sent as SNI; the host when `nil`.
    public var tlsServerName: String?

    /// The default configuration.
    public init() {}

    /// The per-stream receive window: room for one whole message of the maximum size.
    var streamWindowSize: Int32 {
        Int32(clamping: max(maximumReceiveMessageSize + GRPCMessageFraming.prefixLength, 1024 * 1024))
    }
}
