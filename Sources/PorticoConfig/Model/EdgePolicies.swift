/// The policies a backend, or the gateway's `defaults:`, applies to its routes.
///
/// Routes inherit their backend's; a backend inherits the defaults key by key.
public struct EdgePolicies: Sendable, Hashable {
    public var auth: AuthRequirement
    public var rateLimit: RateLimitSetting
    /// `nil` when the breaker is off.
    public var circuitBreaker: CircuitBreakerSettings?
    /// `nil` when retries are off.
    public var retries: RetrySettings?

    public init(
        auth: AuthRequirement = .none,
        rateLimit: RateLimitSetting = .off,
        circuitBreaker: CircuitBreakerSettings? = CircuitBreakerSettings(),
        retries: RetrySettings? = RetrySettings()
    ) {
        self.auth = auth
        self.rateLimit = rateLimit
        self.circuitBreaker = circuitBreaker
        self.retries = retries
    }
}
