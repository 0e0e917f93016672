/// Whose requests a rate limit counts.
public enum RateLimitKey: String, Sendable, Hashable, CaseIterable {
    /// The client's address (`X-Forwarded-For` only from trusted proxies).
    case clientIP = "client_ip"
    /// The authenticated caller (the token's subject or the API key's client id); the client's address for
    /// anonymous callers.
    case principal
    /// The API key's client id; the client's address for callers without a key.
    case apiKey = "api_key"
}

/// A rate limit as written in the mappings: `rate_limit: { limit: 100, period: 1m, burst: 20, key: principal }`.
public struct RateLimitRule: Sendable, Hashable {
    /// Requests admitted per ``period`` in the long run.
    public var limit: Int
    public var period: Duration
    /// Requests admitted at once; the default is ``limit``.
    public var burst: Int
    public var key: RateLimitKey

    public init(limit: Int, period: Duration, burst: Int? = nil, key: RateLimitKey = .clientIP) {
        self.limit = limit
        self.period = period
        self.burst = burst ?? limit
        self.key = key
    }
}

/// A rate limit setting of a route, a backend or the defaults: a limit, or `off` to lift an inherited one.
public enum RateLimitSetting: Sendable, Hashable {
    case off
    case limit(RateLimitRule)
}

/// Gateway-wide rate-limit settings (`rate_limits:` in gateway.yaml).
public struct RateLimitSettings: Sendable, Hashable {
    /// The most keys remembered at once; beyond it the oldest key's state is dropped, so a flood of distinct
    /// keys cannot grow memory.
    public var maxKeys: Int
    /// Plans by name; an API key's plan replaces the limit of every rule its caller meets.
    public var plans: [String: RateLimitRule]
    /// Every request of one client address, counted before its route or credentials are looked at, so a flood
    /// (of bad tokens, of unknown paths) is refused before it costs a signature check.
    public var perClient: RateLimitRule?
    /// Counts shared by every instance in Redis; `nil` counts in this instance's memory.
    public var redis: RedisRateLimitSettings?

    public init(
        maxKeys: Int = 1_000_000, plans: [String: RateLimitRule] = [:], perClient: RateLimitRule? = nil,
        redis: RedisRateLimitSettings? = nil
    ) {
        self.maxKeys = maxKeys
        self.plans = plans
        self.perClient = perClient
        self.redis = redis
    }
}
