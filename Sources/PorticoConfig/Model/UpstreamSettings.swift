/// How a backend's calls reach its replicas: the endpoints, how one is chosen per call, and how unhealthy
/// ones are found and left out (`endpoints:`, `balancer:`, `health_check:`, `outlier_detection:`).
public struct UpstreamSettings: Sendable, Hashable {
    /// The replicas' addresses as written; a host name stands for every address it resolves to.
    public var endpoints: [HostPort]
    /// How often host names are resolved again.
    public var resolveInterval: Duration
    public var balancer: BalancerSettings
    /// Active `grpc.health.v1.Health/Check` probes; `nil` for none.
    public var healthCheck: HealthCheckSettings?
    /// Passive ejection of replicas that fail in a row; `nil` when `outlier_detection: off`.
    public var outlierDetection: OutlierDetectionSettings?

    public init(
        endpoints: [HostPort],
        resolveInterval: Duration = .seconds(30),
        balancer: BalancerSettings = BalancerSettings(),
        healthCheck: HealthCheckSettings? = nil,
        outlierDetection: OutlierDetectionSettings? = OutlierDetectionSettings()
    ) {
        self.endpoints = endpoints
        self.resolveInterval = resolveInterval
        self.balancer = balancer
        self.healthCheck = healthCheck
        self.outlierDetection = outlierDetection
    }
}

/// How a call's endpoint is chosen (`balancer:`).
public struct BalancerSettings: Sendable, Hashable {
    /// The balancing policies.
    public enum Policy: String, Sendable, Hashable {
        /// Two endpoints drawn at random, the one with fewer calls in flight taken.
        case powerOfTwoChoices = "p2c"
        case roundRobin = "round_robin"
        /// Consistent hashing on ``BalancerSettings/hashOn``: a key stays on one endpoint while the set is stable.
        case ringHash = "ring_hash"
    }

    /// What a consistent hash is computed from.
    public enum HashKey: Sendable, Hashable {
        /// A request header (lowercased name).
        case header(String)
        /// A claim of the authenticated caller: `sub`, `client_id` or `plan`.
        case claim(String)
        /// A path variable of the route, by its field path (`order_id`, `name`).
        case pathVariable(String)
    }

    public var policy: Policy
    /// Set exactly when ``policy`` is ``Policy/ringHash``.
    public var hashOn: HashKey?

    public init(policy: Policy = .powerOfTwoChoices, hashOn: HashKey? = nil) {
        self.policy = policy
        self.hashOn = hashOn
    }
}

/// Active health checks with the standard gRPC health protocol (`health_check:`).
public struct HealthCheckSettings: Sendable, Hashable {
    /// The service name sent in `HealthCheckRequest`; empty asks about the server as a whole.
    public var service: String
    public var interval: Duration
    /// How long one probe may take; a slower answer counts as a failure.
    public var timeout: Duration
    /// Probes passed in a row that bring an unhealthy endpoint back.
    public var healthyThreshold: Int
    /// Probes failed in a row that take an endpoint out of rotation.
    public var unhealthyThreshold: Int

    public init(service: String = "", interval: Duration = .seconds(5), timeout: Duration = .seconds(1), healthyThreshold: Int = 2, unhealthyThreshold: Int = 3) {
        self.service = service
        self.interval = interval
        self.timeout = timeout
        self.healthyThreshold = healthyThreshold
        self.unhealthyThreshold = unhealthyThreshold
    }
}

/// Passive outlier ejection (`outlier_detection:`): an endpoint whose calls fail in a row is left out for a
/// while, longer each time it is ejected again.
public struct OutlierDetectionSettings: Sendable, Hashable {
    /// Failed calls in a row (transport failures, `UNAVAILABLE`, `INTERNAL`, `UNKNOWN`, `DATA_LOSS`) that eject.
    public var consecutiveFailures: Int
    /// The first ejection's length; the n-th ejection lasts n times as long, up to ``maxEjectionTime``.
    public var baseEjectionTime: Duration
    public var maxEjectionTime: Duration
    /// The largest share of endpoints ejected at once; one endpoint may always be ejected.
    public var maxEjectedShare: Double
    /// When fewer than this share of endpoints is usable, every endpoint is used (panic mode).
    public var panicThreshold: Double

    public init(
        consecutiveFailures: Int = 5,
        baseEjectionTime: Duration = .seconds(30),
        maxEjectionTime: Duration = .seconds(300),
        maxEjectedShare: Double = 0.5,
        panicThreshold: Double = 0.5
    ) {
        self.consecutiveFailures = consecutiveFailures
        self.baseEjectionTime = baseEjectionTime
        self.maxEjectionTime = maxEjectionTime
        self.maxEjectedShare = maxEjectedShare
        self.panicThreshold = panicThreshold
    }
}
