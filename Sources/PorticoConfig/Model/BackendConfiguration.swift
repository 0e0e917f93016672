public import PorticoSchema

/// One backend's mapping file: where the backend is, its HTTP rules, its version renames and route options.
public struct BackendConfiguration: Sendable {
    /// The backend's name, unique across mapping files (`orders`).
    public var name: String
    /// The file it came from, relative to the mappings folder.
    public var file: String
    /// Its endpoints, balancer, health checks and outlier ejection.
    public var upstream: UpstreamSettings
    /// The upstream timeout of its calls; routes may lower it.
    public var timeout: Duration
    /// The gRPC services it serves (`demo.users.v1.UserService`); their annotated methods are routed to it.
    public var services: [Located<String>]
    /// The `http: rules:`, each with the place it was written; these replace annotations of the same selector.
    public var rules: [Located<HttpRule>]
    /// The renames per API version.
    public var renames: [FieldRename]
    /// Per-route options, matched by selector.
    public var routeOptions: [RouteOptions]
    /// Auth, rate limit, breaker and retries of its routes: its own keys over the gateway's defaults.
    public var policies: EdgePolicies
    /// TLS to the backend; cleartext HTTP/2 when `nil`.
    public var tls: BackendTLS?

    public init(
        name: String,
        file: String,
        address: HostPort,
        timeout: Duration,
        services: [Located<String>] = [],
        rules: [Located<HttpRule>] = [],
        renames: [FieldRename] = [],
        routeOptions: [RouteOptions] = [],
        policies: EdgePolicies = EdgePolicies()
    ) {
        self.name = name
        self.file = file
        upstream = UpstreamSettings(endpoints: [address])
        self.timeout = timeout
        self.services = services
        self.rules = rules
        self.renames = renames
        self.routeOptions = routeOptions
        self.policies = policies
        tls = nil
    }

    /// The first endpoint as written: the backend's address when it has one.
    public var address: HostPort { upstream.endpoints[0] }
}

/// A field's JSON name in one API version: `versions: v1: rename: demo.orders.v1.Order: { order_items: items }`.
public struct FieldRename: Sendable, Hashable {
    public var version: String
    /// The fully qualified message name.
    public var message: String
    /// The proto field name.
    public var field: String
    /// The JSON name the field has in ``version``.
    public var jsonName: String
    public var location: SourceLocation

    public init(version: String, message: String, field: String, jsonName: String, location: SourceLocation) {
        self.version = version
        self.message = message
        self.field = field
        self.jsonName = jsonName
        self.location = location
    }
}

/// Options that relax or tighten one route or a whole service: `routes: - selector: … timeout: 1s`.
public struct RouteOptions: Sendable, Hashable {
    /// A method name, or a service name followed by `.*` for all its methods.
    public var selector: String
    public var timeout: Duration?
    /// Accept and drop JSON body fields the message does not have, instead of answering 400.
    public var ignoreUnknownFields: Bool?
    /// Accept and drop query parameters that name no field, instead of answering 400.
    public var ignoreUnknownQueryParameters: Bool?
    public var maxBodyBytes: Int?
    /// How callers authenticate, replacing the backend's mode.
    public var auth: AuthMode?
    /// Scopes the caller must all hold.
    public var scopes: [String]?
    /// Roles of which the caller must hold one.
    public var roles: [String]?
    /// The route's own rate limit, or `off`, replacing the backend's.
    public var rateLimit: RateLimitSetting?
    /// Whether calls may be retried on `UNAVAILABLE`; by default only GET routes are.
    public var idempotent: Bool?
    /// The route's `json:` keys over its backend's.
    public var json: JSONOverrides?
    /// The route's own CORS policy, or `off`, replacing the gateway's.
    public var cors: CORSSetting?
    /// The route's response cache, or `off`.
    public var cache: CacheSetting?
    /// How a server-streaming route's answer may run.
    public var stream: StreamSettings?
    public var location: SourceLocation

    public init(
        selector: String,
        timeout: Duration? = nil,
        ignoreUnknownFields: Bool? = nil,
        ignoreUnknownQueryParameters: Bool? = nil,
        maxBodyBytes: Int? = nil,
        auth: AuthMode? = nil,
        scopes: [String]? = nil,
        roles: [String]? = nil,
        rateLimit: RateLimitSetting? = nil,
        idempotent: Bool? = nil,
        json: JSONOverrides? = nil,
        cors: CORSSetting? = nil,
        cache: CacheSetting? = nil,
        stream: StreamSettings? = nil,
        location: SourceLocation
    ) {
        self.selector = selector
        self.timeout = timeout
        self.ignoreUnknownFields = ignoreUnknownFields
        self.ignoreUnknownQueryParameters = ignoreUnknownQueryParameters
        self.maxBodyBytes = maxBodyBytes
        self.auth = auth
        self.scopes = scopes
        self.roles = roles
        self.rateLimit = rateLimit
        self.idempotent = idempotent
        self.json = json
        self.cors = cors
        self.cache = cache
        self.stream = stream
        self.location = location
    }

    /// Whether these options apply to a fully qualified method name.
    public func applies(to method: String) -> Bool {
        if selector.hasSuffix(".*") {
            return method.hasPrefix(selector.dropLast())
        }
        return selector == method
    }
}

/// Everything read from the mappings folder, checked for syntax and consistency across files.
///
/// Checks that need the schema (selectors, field paths, renames of real fields) happen when routes are
/// compiled against a `SchemaPool`.
public struct GatewayConfiguration: Sendable {
    public var settings: GatewaySettings
    /// The backends, in file-name order.
    public var backends: [BackendConfiguration]
    /// The composite routes, in file-name order and then as written.
    public var composites: [CompositeRouteConfiguration]

    public init(settings: GatewaySettings, backends: [BackendConfiguration], composites: [CompositeRouteConfiguration] = []) {
        self.settings = settings
        self.backends = backends
        self.composites = composites
    }
}
