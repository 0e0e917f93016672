public import PorticoRedis

/// Rate limits shared by every gateway instance through Redis (`rate_limits.redis:` in gateway.yaml).
///
/// Absent (or `url` empty) means every instance counts on its own, in memory.
public struct RedisRateLimitSettings: Sendable, Hashable {
    /// What a request gets when Redis cannot decide (unreachable, too slow, refusing).
    public enum FailureMode: String, Sendable, Hashable, CaseIterable {
        /// The instance's own in-memory limiter decides.
        case open
        /// The request is refused with 503 and `Retry-After: 1`.
        case closed
    }

    /// The server and its login, parsed from `url` when the configuration is read.
    public var endpoint: RedisEndpoint
    /// How long one decision may take before the failure mode applies.
    public var timeout: Duration
    public var failureMode: FailureMode
    public var connectionsPerEventLoop: Int
    /// Put before every key, so several gateways (or other users) can share a Redis.
    public var keyPrefix: String

    public init(
        endpoint: RedisEndpoint, timeout: Duration = .milliseconds(50), failureMode: FailureMode = .open,
        connectionsPerEventLoop: Int = 1, keyPrefix: String = "portico:rl:"
    ) {
        self.endpoint = endpoint
        self.timeout = timeout
        self.failureMode = failureMode
        self.connectionsPerEventLoop = connectionsPerEventLoop
        self.keyPrefix = keyPrefix
    }
}
