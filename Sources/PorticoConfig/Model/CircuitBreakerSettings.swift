public import PorticoCore

/// A backend's circuit breaker as written in the mappings (`circuit_breaker:`); `off` disables it.
public struct CircuitBreakerSettings: Sendable, Hashable {
    /// Opens after this many failures in a row; 0 disables the rule.
    public var consecutiveFailures: Int
    /// Opens when failures reach this share of the requests in ``window``; `nil` disables the rule.
    public var failureRatio: Double?
    public var window: Duration
    /// The ratio rule applies once the window holds at least this many requests.
    public var minimumRequests: Int
    /// How long the breaker stays open before probing.
    public var openDuration: Duration
    /// Probes admitted at once while half-open; this many successes close the breaker.
    public var halfOpenProbes: Int
    /// Requests in flight to the backend at most (503 beyond it); `nil` for no cap.
    public var maxConcurrentRequests: Int?
    /// The gRPC codes that count as failures; transport errors and timeouts always do.
    public var failureCodes: Set<GRPCStatusCode>

    public init(
        consecutiveFailures: Int = 5,
        failureRatio: Double? = 0.5,
        window: Duration = .seconds(10),
        minimumRequests: Int = 20,
        openDuration: Duration = .seconds(5),
        halfOpenProbes: Int = 1,
        maxConcurrentRequests: Int? = 1024,
        failureCodes: Set<GRPCStatusCode> = [.unavailable, .deadlineExceeded, .internal, .unknown]
    ) {
        self.consecutiveFailures = consecutiveFailures
        self.failureRatio = failureRatio
        self.window = window
        self.minimumRequests = minimumRequests
        self.openDuration = openDuration
        self.halfOpenProbes = halfOpenProbes
        self.maxConcurrentRequests = maxConcurrentRequests
        self.failureCodes = failureCodes
    }
}

/// A backend's retry policy as written in the mappings (`retries:`); `off` disables retries.
///
/// Retries apply to idempotent routes (GET, or `idempotent: true`) on ``retryOn`` codes, and to every route
/// when the backend certainly never processed the call (a refused stream, a GOAWAY, no connection).
public struct RetrySettings: Sendable, Hashable {
    /// Retries after the first attempt, at most.
    public var attempts: Int
    /// The first backoff ceiling; each retry doubles it, with full jitter.
    public var backoff: Duration
    public var maxBackoff: Duration
    /// Retries as a share of requests over ten seconds, at most (`budget: 20%`).
    public var budget: Double
    /// Retries always allowed per ten seconds, so a quiet backend can be retried at all.
    public var minimumRetries: Int
    /// The codes an idempotent call is retried on.
    public var retryOn: Set<GRPCStatusCode>

    public init(
        attempts: Int = 2,
        backoff: Duration = .milliseconds(25),
        maxBackoff: Duration = .milliseconds(250),
        budget: Double = 0.2,
        minimumRetries: Int = 10,
        retryOn: Set<GRPCStatusCode> = [.unavailable]
    ) {
        self.attempts = attempts
        self.backoff = backoff
        self.maxBackoff = maxBackoff
        self.budget = budget
        self.minimumRetries = minimumRetries
        self.retryOn = retryOn
    }
}
