import Logging
import PorticoConfig
import PorticoHTTP2
import PorticoPolicies

/// A snapshot together with what its requests use at run time: the backends' clients and guards, the rate
/// limiter and the client-address resolver.
final class ActiveGateway: Sendable {
    let snapshot: GatewaySnapshot
    /// One client per backend, indexed like ``GatewaySnapshot/backends``.
    let clients: [GRPCClient]
    /// One breaker-and-retries guard per backend, indexed like ``clients``.
    let guards: [BackendGuard]
    let limiter: RateLimiter
    let clientAddress: ClientAddress

    init(snapshot: GatewaySnapshot, clients: [GRPCClient], policies: PolicyDirectory, logger: Logger) {
        self.snapshot = snapshot
        self.clients = clients
        guards = snapshot.backends.map { BackendGuard(backend: $0, directory: policies, logger: logger) }
        let settings = snapshot.configuration.settings
        limiter = policies.rateLimiter(capacity: settings.rateLimits.maxKeys)
        clientAddress = ClientAddress(trustedProxies: settings.trustedProxies)
    }
}
