public import NIOCore
public import PorticoCore

/// When a backend's breaker opens, how long it stays open, and how it probes before closing again.
public struct CircuitBreakerPolicy: Sendable, Hashable {
    /// Opens after this many failures in a row; 0 disables the rule.
    public var consecutiveFailures: Int
    /// Opens when failures reach this share of the requests in ``window``; `nil` disables the rule.
    public var failureRatio: Double?
    public var window: TimeAmount
    /// The ratio rule applies only once the window holds at least this many requests.
    public var minimumRequests: Int
    /// How long the breaker stays open before it lets probes through.
    public var openDuration: TimeAmount
    /// Probes admitted at once while half-open; this many successes close the breaker.
    public var halfOpenProbes: Int
    /// Requests in flight to the backend at most; beyond it requests are refused at once. `nil`: no limit.
    public var maxConcurrentRequests: Int?
    /// The gRPC codes that count as failures (transport errors and timeouts always do).
    public var failureCodes: Set<GRPCStatusCode>

    public init(
        consecutiveFailures: Int = 5,
        failureRatio: Double? = 0.5,
        window: TimeAmount = .seconds(10),
        minimumRequests: Int = 20,
        openDuration: TimeAmount = .seconds(5),
        halfOpenProbes: Int = 1,
        maxConcurrentRequests: Int? = nil,
        failureCodes: Set<GRPCStatusCode> = [.unavailable, .deadlineExceeded, .internal, .unknown]
    ) {
        self.consecutiveFailures = consecutiveFailures
        self.failureRatio = failureRatio
        self.window = window
        self.minimumRequests = minimumRequests
        self.openDuration = openDuration
        self.halfOpenProbes = max(1, halfOpenProbes)
        self.maxConcurrentRequests = maxConcurrentRequests
        self.failureCodes = failureCodes
    }
}
