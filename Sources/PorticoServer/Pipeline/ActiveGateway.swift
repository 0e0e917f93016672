import PorticoRouting
import Logging
import NIOCore
import PorticoConfig
import PorticoCore
import PorticoHTTP2
import PorticoPolicies

/// What outlives a snapshot and builds each snapshot's run-time state: the backend clients, the policy
/// state, the event loops, the clocks and the logger.
struct GatewayRuntime: Sendable {
    let upstreams: UpstreamDirectory
    let policies: PolicyDirectory
    let group: any EventLoopGroup
    /// Unix time in seconds, for token lifetimes.
    let wallClock: @Sendable () -> Double
    let clock: any MonotonicClock
    let logger: Logger
    let metrics: GatewayMetrics
    let tracer: RequestTracer
    /// The Redis client of `rate_limits.redis`, kept while its settings stay the same.
    let sharedLimits: SharedLimiterDirectory
}

/// A snapshot together with what its requests use at run time: the backends' clients and guards, the
/// authenticator, the rate limiter and the client-address resolver.
final class ActiveGateway: Sendable {
    let snapshot: GatewaySnapshot
    /// One cluster per backend, indexed like ``GatewaySnapshot/backends``.
    let clusters: [BackendCluster]
    /// One breaker-and-retries guard per backend, indexed like ``clusters``.
    let guards: [BackendGuard]
    /// `nil` when `auth:` configures nothing (then no route asks for a credential).
    let authenticator: Authenticator?
    let limiter: RateLimiter
    /// `rate_limits.redis`: decisions shared by every instance; `nil` when every decision is ``limiter``'s.
    let sharedLimiter: SharedRateLimiter?
    /// `rate_limits.per_client`: every request of a client address, before route and credentials.
    let perClientLimit: RateLimitPolicy?
    let clientAddress: ClientAddress
    /// One per route, by ``RouteTable/routes`` index.
    let routeMetrics: [RouteMetrics]
    let metrics: GatewayMetrics
    /// The answers of cached routes; a new snapshot starts empty.
    let cache: ResponseCache
    /// Monotonic time, for cache ages.
    let clock: any MonotonicClock

    /// - Throws: the key-file problems of `auth:` (a file changed since the snapshot compiled).
    init(snapshot: GatewaySnapshot, runtime: GatewayRuntime) throws(GatewayCompileError) {
        let settings = snapshot.configuration.settings
        if settings.auth.isConfigured {
            do {
                authenticator = try Authenticator(
                    settings: settings.auth, files: snapshot.authFiles, eventLoopGroup: runtime.group,
                    wallClock: runtime.wallClock, clock: runtime.clock, logger: runtime.logger
                )
            } catch {
                throw GatewayCompileError(problems: error.diagnostics.map(\.description))
            }
        } else {
            authenticator = nil
        }
        self.snapshot = snapshot
        clusters = runtime.upstreams.clusters(
            for: snapshot.backends, tls: snapshot.backendTLS, metrics: runtime.metrics, clock: runtime.clock, logger: runtime.logger
        )
        guards = snapshot.backends.map {
            BackendGuard(backend: $0, directory: runtime.policies, metrics: runtime.metrics.backendMetrics(named: $0.name), logger: runtime.logger)
        }
        routeMetrics = runtime.metrics.routeMetrics(for: snapshot.routes.routes.map {
            ($0.method, $0.template.text, $0.value.rateLimit != nil, $0.value.cache != nil)
        })
        metrics = runtime.metrics
        cache = ResponseCache(maxBytes: settings.cacheMaxBytes)
        clock = runtime.clock
        limiter = runtime.policies.rateLimiter(capacity: settings.rateLimits.maxKeys)
        perClientLimit = settings.rateLimits.perClient.map { RateLimitPolicy(name: "per_client", rule: $0) }
        clientAddress = ClientAddress(trustedProxies: settings.trustedProxies)
        // Last, after everything that can throw: a snapshot that fails to install must not close the running
        // snapshot's Redis client.
        sharedLimiter = runtime.sharedLimits.limiter(for: settings.rateLimits.redis)
    }
}
