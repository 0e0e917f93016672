public import NIOCore

/// How a ``RedisClient`` connects: the server, its timeouts, how many connections each event loop keeps, the
/// reconnect backoff and the reply bounds.
public struct RedisConfiguration: Sendable, CustomStringConvertible {
    public var endpoint: RedisEndpoint
    /// How long a TCP connect (and the `AUTH` and `SELECT` after it) may take.
    public var connectTimeout: TimeAmount
    /// How long one command may wait for its reply; a command that times out closes its connection (later
    /// replies could no longer be matched to their commands), and the next command connects again.
    public var commandTimeout: TimeAmount
    /// Connections each event loop keeps; commands are pipelined on them in turn.
    public var connectionsPerEventLoop: Int
    /// The wait after a failed connect before the next attempt; it doubles on each failure up to
    /// ``maximumBackoff``. Commands during the wait fail at once with `unavailable`.
    public var initialBackoff: TimeAmount
    public var maximumBackoff: TimeAmount
    /// Bounds on replies (``RESPDecoder``).
    public var decoder: RESPDecoder

    public init(
        endpoint: RedisEndpoint,
        connectTimeout: TimeAmount = .seconds(1),
        commandTimeout: TimeAmount = .milliseconds(50),
        connectionsPerEventLoop: Int = 1,
        initialBackoff: TimeAmount = .milliseconds(50),
        maximumBackoff: TimeAmount = .seconds(1),
        decoder: RESPDecoder = RESPDecoder()
    ) {
        self.endpoint = endpoint
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
        self.connectionsPerEventLoop = max(1, connectionsPerEventLoop)
        self.initialBackoff = initialBackoff
        self.maximumBackoff = maximumBackoff
        self.decoder = decoder
    }

    public var description: String {
        "\(endpoint) (connect timeout \(connectTimeout), command timeout \(commandTimeout), \(connectionsPerEventLoop) per event loop)"
    }
}
