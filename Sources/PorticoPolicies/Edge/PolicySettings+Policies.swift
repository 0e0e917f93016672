import NIOCore
public import PorticoConfig

extension CircuitBreakerPolicy {
    /// The policy a backend's `circuit_breaker:` settings describe.
    public init(_ settings: CircuitBreakerSettings) {
        self.init(
            consecutiveFailures: settings.consecutiveFailures,
            failureRatio: settings.failureRatio,
            window: TimeAmount(settings.window),
            minimumRequests: settings.minimumRequests,
            openDuration: TimeAmount(settings.openDuration),
            halfOpenProbes: settings.halfOpenProbes,
            maxConcurrentRequests: settings.maxConcurrentRequests,
            failureCodes: settings.failureCodes
        )
    }
}

extension RateLimitPolicy {
    /// The policy of a `rate_limit:` rule, named for the `RateLimit-Policy` header.
    public init(name: String, rule: RateLimitRule) {
        self.init(name: name, limit: rule.limit, period: TimeAmount(rule.period), burst: rule.burst)
    }
}

extension RetryBackoff {
    /// The backoff of a backend's `retries:` settings.
    public init(_ settings: RetrySettings) {
        self.init(base: TimeAmount(settings.backoff), cap: TimeAmount(settings.maxBackoff))
    }
}
