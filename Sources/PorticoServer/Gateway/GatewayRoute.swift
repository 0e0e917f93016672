import NIOCore
import PorticoConfig
import PorticoPolicies
import PorticoRouting

/// One compiled route: the RPC it calls, the backend that serves it and the options that apply to it.
///
/// A class, immutable once compiled: every request that matches it holds it, and passing a reference costs
/// one retain where copying its sixteen fields cost one per reference they hold.
package final class GatewayRoute: Sendable {
    package let target: RouteTarget
    /// The index of the backend in ``GatewaySnapshot/backends``.
    package let backendIndex: Int
    /// The upstream timeout: the route's own, else its backend's.
    package let timeout: TimeAmount
    /// How the route's JSON is written and read (unknown body fields dropped instead of answering 400, and
    /// the printer's options).
    package let json: JSONSettings
    /// Whether clients see the backend's own `INTERNAL`, `UNKNOWN` and `DATA_LOSS` messages and its
    /// `DebugInfo` details.
    package let exposeErrors: Bool
    /// Where the route carries raw bytes as `google.api.HttpBody` instead of JSON.
    package let httpBody: HttpBodyMapping
    /// The resolved messages per API version, by ``APIVersion/index``.
    package let versionPlans: [RouteVersionPlan]
    /// Accept and drop query parameters that name no field instead of answering 400.
    package let ignoreUnknownQueryParameters: Bool
    /// The largest body accepted for this route.
    package let maxBodyBytes: Int
    /// How callers authenticate and what they must hold.
    package let auth: AuthRequirement
    /// The rate limit requests of this route count against, if any.
    package let rateLimit: RouteRateLimit?
    /// Whether a call may be sent again after `UNAVAILABLE` (GET routes, or `idempotent: true`).
    package let idempotent: Bool
    /// Which browser origins may call the route; `nil` answers no cross-origin request.
    package let cors: CORSPolicy?
    /// How the route's answers are cached; `nil` when they are not.
    package let cache: CacheRule?
    /// The parts of a composite route, which calls them instead of ``target`` (its ``backendIndex`` is then
    /// `-1` and its ``target`` only names it); `nil` for a route to one method.
    package let composite: CompositePlan?
    /// How the route's answer runs when its method streams responses.
    package let stream: StreamSettings

    package init(
        target: RouteTarget,
        backendIndex: Int,
        timeout: TimeAmount,
        json: JSONSettings = JSONSettings(),
        exposeErrors: Bool = false,
        httpBody: HttpBodyMapping,
        versionPlans: [RouteVersionPlan],
        ignoreUnknownQueryParameters: Bool,
        maxBodyBytes: Int,
        auth: AuthRequirement = .none,
        rateLimit: RouteRateLimit? = nil,
        idempotent: Bool = false,
        cors: CORSPolicy? = nil,
        cache: CacheRule? = nil,
        composite: CompositePlan? = nil,
        stream: StreamSettings = StreamSettings()
    ) {
        self.target = target
        self.backendIndex = backendIndex
        self.timeout = timeout
        self.json = json
        self.exposeErrors = exposeErrors
        self.httpBody = httpBody
        self.versionPlans = versionPlans
        self.ignoreUnknownQueryParameters = ignoreUnknownQueryParameters
        self.maxBodyBytes = maxBodyBytes
        self.auth = auth
        self.rateLimit = rateLimit
        self.idempotent = idempotent
        self.cors = cors
        self.cache = cache
        self.composite = composite
        self.stream = stream
    }
}
