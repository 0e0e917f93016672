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

    public init(
        listen: HostPort = HostPort(host: "127.0.0.1", port: 8080),
        admin: HostPort? = nil,
        versions: VersionPolicy = VersionPolicy(),
        limits: RequestLimits = RequestLimits(),
        defaultTimeout: Duration = .seconds(15)
    ) {
        self.listen = listen
        self.admin = admin
        self.versions = versions
        self.limits = limits
        self.defaultTimeout = defaultTimeout
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
    /// Deprecated versions and the date each stops working.
    public var deprecated: [String: SunsetDate]

    public init(
        header: String = "x-api-version",
        defaultVersion: String = "v2",
        supported: [String] = ["v2"],
        deprecated: [String: SunsetDate] = [:]
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

    public init(maxBodyBytes: Int = 1 << 20, maxHeaderBytes: Int = 16 << 10, maxJSONDepth: Int = 100) {
        self.maxBodyBytes = maxBodyBytes
        self.maxHeaderBytes = maxHeaderBytes
        self.maxJSONDepth = maxJSONDepth
    }
}
