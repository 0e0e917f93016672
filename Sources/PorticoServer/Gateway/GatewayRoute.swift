public import PorticoConfig
public import PorticoPolicies
public import PorticoRouting

/// One compiled route: the RPC it calls, the backend that serves it and the options that apply to it.
public struct GatewayRoute: Sendable {
    public var target: RouteTarget
    /// The index of the backend in ``GatewaySnapshot/backends``.
    public var backendIndex: Int
    /// The upstream timeout: the route's own, else its backend's.
    public var timeout: Duration
    /// Accept and drop unknown JSON body fields instead of answering 400.
    public var ignoreUnknownFields: Bool
    /// Accept and drop query parameters that name no field instead of answering 400.
    public var ignoreUnknownQueryParameters: Bool
    /// The largest body accepted for this route.
    public var maxBodyBytes: Int
    /// How callers authenticate and what they must hold.
    public var auth: AuthRequirement
    /// The rate limit requests of this route count against, if any.
    public var rateLimit: RouteRateLimit?
    /// Whether a call may be sent again after `UNAVAILABLE` (GET routes, or `idempotent: true`).
    public var idempotent: Bool

    public init(
        target: RouteTarget,
        backendIndex: Int,
        timeout: Duration,
        ignoreUnknownFields: Bool,
        ignoreUnknownQueryParameters: Bool,
        maxBodyBytes: Int,
        auth: AuthRequirement = .none,
        rateLimit: RouteRateLimit? = nil,
        idempotent: Bool = false
    ) {
        self.target = target
        self.backendIndex = backendIndex
        self.timeout = timeout
        self.ignoreUnknownFields = ignoreUnknownFields
        self.ignoreUnknownQueryParameters = ignoreUnknownQueryParameters
        self.maxBodyBytes = maxBodyBytes
        self.auth = auth
        self.rateLimit = rateLimit
        self.idempotent = idempotent
    }
}
