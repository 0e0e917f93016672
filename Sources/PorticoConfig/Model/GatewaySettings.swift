/// The gateway-wide settings of `gateway.yaml`.
public struct GatewaySettings: Sendable, Hashable {
    /// The public listener.
    public var listen: HostPort
    /// The admin listener, when enabled.
    public var admin: HostPort?
    public var versions: VersionPolicy
    public var limits: RequestLimits
    /// The upstream timeout of backends that set none.
    public var defaultTimeout: Duration
    /// The headers that cross the gateway in each direction.
    public var headers: HeaderForwarding
    /// Whether one JSON line per request is written to standard output.
    public var accessLog: Bool
    /// The policies of backends and routes that set none (`defaults:`).
    public var policies: EdgePolicies
    /// Rate-limit plans and the bound on remembered keys (`rate_limits:`).
    public var rateLimits: RateLimitSettings
    /// The proxies whose `X-Forwarded-For` names the client (`client_ip: trusted_proxies:`).
    public var trustedProxies: [IPNetwork]
    /// How callers authenticate; nothing is configured by default.
    public var auth: AuthSettings
    /// CORS for every route that sets none; `nil` answers no cross-origin request.
    public var cors: CORSPolicy?
    /// The most memory the response cache holds (bodies, keys and headers) before it evicts (`cache: max_bytes`).
    public var cacheMaxBytes: Int
    /// The HTTPS listener (`tls:`); `nil` serves plain HTTP only.
    public var tls: TLSSettings?

    public init(
        listen: HostPort = HostPort(host: "127.0.0.1", port: 8080),
        admin: HostPort? = nil,
        versions: VersionPolicy = VersionPolicy(),
        limits: RequestLimits = RequestLimits(),
        defaultTimeout: Duration = .seconds(15),
        headers: HeaderForwarding = HeaderForwarding(),
        accessLog: Bool = true,
        policies: EdgePolicies = EdgePolicies(),
        rateLimits: RateLimitSettings = RateLimitSettings(),
        trustedProxies: [IPNetwork] = [],
        auth: AuthSettings = AuthSettings(),
        cors: CORSPolicy? = nil,
        cacheMaxBytes: Int = 64 << 20
    ) {
        self.listen = listen
        self.admin = admin
        self.versions = versions
        self.limits = limits
        self.defaultTimeout = defaultTimeout
        self.headers = headers
        self.accessLog = accessLog
        self.policies = policies
        self.rateLimits = rateLimits
        self.trustedProxies = trustedProxies
        self.auth = auth
        self.cors = cors
        self.cacheMaxBytes = cacheMaxBytes
        tls = nil
    }
}

/// How a request selects an API version, and which versions exist.
public struct VersionPolicy: Sendable, Hashable {
    /// The request header that names the version, lower-cased (`x-api-version`).
    public var header: String
    /// The version used when the header is absent; it uses the proto3 JSON names.
    public var defaultVersion: String
    /// Every version a client may ask for, the default first.
    public var supported: [String]
    /// Deprecated versions: when each was deprecated and when it stops working.
    public var deprecated: [String: VersionDeprecation]

    public init(
        header: String = "x-api-version",
        defaultVersion: String = "v2",
        supported: [String] = ["v2"],
        deprecated: [String: VersionDeprecation] = [:]
    ) {
        self.header = header
        self.defaultVersion = defaultVersion
        self.supported = supported
        self.deprecated = deprecated
    }
}

/// Limits applied to every request at the edge.
public struct RequestLimits: Sendable, Hashable {
    /// The largest request body accepted (413 beyond it).
    public var maxBodyBytes: Int
    /// The largest total size of request headers accepted (431 beyond it).
    public var maxHeaderBytes: Int
    /// The deepest JSON nesting accepted in a body (400 beyond it).
    public var maxJSONDepth: Int
    /// How long a request head may take from its first byte (408 beyond it).
    public var requestHeadTimeout: Duration
    /// How long a request body may take after its head (408 beyond it).
    public var bodyReadTimeout: Duration
    /// How long an idle keep-alive connection waits for its next request before it is closed.
    public var keepAliveTimeout: Duration
    /// The most connections open at once; more are closed as they are accepted.
    public var maxConnections: Int
    /// The most connections open at once from one client address.
    public var maxConnectionsPerClient: Int
    /// The most requests the gateway works on at once; more are answered 503 with `Retry-After` at once.
    public var maxInFlight: Int
    /// The most requests one connection may pipeline ahead of their answers; past it the connection closes.
    public var maxPipelinedRequests: Int
    /// The most request streams one HTTP/2 connection may have open at once (SETTINGS_MAX_CONCURRENT_STREAMS).
    public var http2MaxConcurrentStreams: Int

    public init(
        maxBodyBytes: Int = 1 << 20,
        maxHeaderBytes: Int = 16 << 10,
        maxJSONDepth: Int = 100,
        requestHeadTimeout: Duration = .seconds(10),
        bodyReadTimeout: Duration = .seconds(30),
        keepAliveTimeout: Duration = .seconds(60),
        maxConnections: Int = 10_000,
        maxConnectionsPerClient: Int = 1_000,
        maxInFlight: Int = 10_000,
        maxPipelinedRequests: Int = 128,
        http2MaxConcurrentStreams: Int = 100
    ) {
        self.maxBodyBytes = maxBodyBytes
        self.maxHeaderBytes = maxHeaderBytes
        self.maxJSONDepth = maxJSONDepth
        self.requestHeadTimeout = requestHeadTimeout
        self.bodyReadTimeout = bodyReadTimeout
        self.keepAliveTimeout = keepAliveTimeout
        self.maxConnections = maxConnections
        self.maxConnectionsPerClient = maxConnectionsPerClient
        self.maxInFlight = maxInFlight
        self.maxPipelinedRequests = maxPipelinedRequests
        self.http2MaxConcurrentStreams = http2MaxConcurrentStreams
    }
}

/// The lifecycle of a deprecated API version, announced in `Deprecation` (RFC 9745) and `Sunset` (RFC 8594).
public struct VersionDeprecation: Sendable, Hashable {
    /// The day the version was (or will be) deprecated; without it the `Deprecation` header carries the
    /// sunset day, which RFC 9745 allows ("will be deprecated at that date").
    public var since: CalendarDate?
    /// The day the version stops working.
    public var sunset: CalendarDate

    public init(since: CalendarDate? = nil, sunset: CalendarDate) {
        self.since = since
        self.sunset = sunset
    }

    /// The `Deprecation` header value: an RFC 9651 date (`@1782777600`).
    public var deprecationHeader: String {
        "@\((since ?? sunset).unixTime)"
    }

    /// The `Sunset` header value: an IMF-fixdate.
    public var sunsetHeader: String {
        sunset.httpDate
    }
}
