import NIOCore
import ServiceLifecycle

/// A running gateway (its public and admin listeners) as a service of a `ServiceGroup`: it serves until the
/// group shuts down gracefully, then calls `draining`, stops accepting (`/readyz` turns 503), lets requests
/// in flight finish within `gracePeriod`, and closes its backend connections.
package struct GatewayService: Service {
    private let server: GatewayServer
    private let gracePeriod: TimeAmount
    private let draining: @Sendable () -> Void

    package init(server: GatewayServer, gracePeriod: TimeAmount, draining: @escaping @Sendable () -> Void = {}) {
        self.server = server
        self.gracePeriod = gracePeriod
        self.draining = draining
    }

    package func run() async throws {
        try? await gracefulShutdown()
        draining()
        await server.shutdown(gracePeriod: gracePeriod)
    }
}

extension GatewayService: CustomStringConvertible {
    /// The name only: service-lifecycle logs its services, and their fields (the compiler's environment
    /// among them) may hold secrets.
    package var description: String { "GatewayService" }
}
