/// How a server-streaming route's answer may run (`stream:` on a route): the timeouts that fit a stream in
/// place of the unary `timeout`, its limits, and the Server-Sent Events heartbeat.
public struct StreamSettings: Sendable, Hashable {
    /// The longest wait for the backend's next message (and for its first); the stream ends
    /// `DEADLINE_EXCEEDED` after it. Time the client spends not reading does not count.
    public var idleTimeout: Duration
    /// The longest a stream may run, whatever flows; `nil` lets it run as long as its client wants.
    public var maxDuration: Duration?
    /// The most messages relayed; the stream then ends `RESOURCE_EXHAUSTED`. `nil` for no limit.
    public var maxMessages: Int?
    /// The most JSON bytes relayed; the stream then ends `RESOURCE_EXHAUSTED`. `nil` for no limit.
    public var maxBytes: Int?
    /// How often a Server-Sent Events stream writes a comment line while no message flows, so that proxies
    /// and browsers keep it open; `nil` for none.
    public var heartbeat: Duration?

    /// The defaults: a 5-minute idle timeout, a 15-second heartbeat, and no other limit.
    public init(
        idleTimeout: Duration = .seconds(300),
        maxDuration: Duration? = nil,
        maxMessages: Int? = nil,
        maxBytes: Int? = nil,
        heartbeat: Duration? = .seconds(15)
    ) {
        self.idleTimeout = idleTimeout
        self.maxDuration = maxDuration
        self.maxMessages = maxMessages
        self.maxBytes = maxBytes
        self.heartbeat = heartbeat
    }
}
