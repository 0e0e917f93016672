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
    /// How JSON is written and read.
    public var json: JSONSettings
    /// Whether clients see the backend's own message for `INTERNAL`, `UNKNOWN` and `DATA_LOSS`, and its
    /// `google.rpc.DebugInfo` details; by default they get a generic message with the request id.
    public var exposeErrors: Bool

    public init(
        auth: AuthRequirement = .none,
        rateLimit: RateLimitSetting = .off,
        circuitBreaker: CircuitBreakerSettings? = CircuitBreakerSettings(),
        retries: RetrySettings? = RetrySettings(),
        json: JSONSettings = JSONSettings(),
        exposeErrors: Bool = false
    ) {
        self.auth = auth
        self.rateLimit = rateLimit
        self.circuitBreaker = circuitBreaker
        self.retries = retries
        self.json = json
        self.exposeErrors = exposeErrors
    }
}
