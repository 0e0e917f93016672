public import NIOCore
public import NIOSSL

/// Limits of a ``GRPCServer``.
public struct GRPCServerConfiguration: Sendable {
    /// The largest request message accepted; larger ones fail `RESOURCE_EXHAUSTED`.
    public var maximumReceiveMessageSize = 4 * 1024 * 1024
    /// The largest response message sent; larger ones fail the call with `RESOURCE_EXHAUSTED`.
    public var maximumSendMessageSize = 4 * 1024 * 1024
    /// `SETTINGS_MAX_CONCURRENT_STREAMS` to advertise; none (unlimited) when `nil`.
    public var maximumConcurrentStreams: UInt32?
    /// After accepting this many streams a connection sends GOAWAY and closes once they are done, the way
    /// servers with a maximum connection age behave. `nil` keeps connections open.
    public var goAwayAfterStreams: Int?
    /// How long a finished connection (its GOAWAY sent and its streams answered) keeps reading what the
    /// client still sends before it closes, when the client does not close first.
    public var lingerTimeout = TimeAmount.seconds(2)
    /// Serves over TLS with this context (ALPN `h2`); cleartext HTTP/2 with prior knowledge when `nil`.
    public var tls: NIOSSLContext?

    /// The default configuration.
    public init() {}
}
