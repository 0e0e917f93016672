import NIOCore
import ServiceLifecycle

/// Fetches the JWKS URL of a gateway's `auth.jwt` again every `jwks_refresh`, as a service of a
/// `ServiceGroup`, until the group shuts down. The period is read anew after each wait, so a reload that adds,
/// changes or removes the URL applies from the next round. (A token whose key is unknown triggers a fetch of
/// its own at any time.)
package struct JWKSRefreshService: Service {
    private let server: GatewayServer
    /// How long to wait before looking again when the running configuration has no JWKS URL.
    private let idlePeriod: Duration

    package init(server: GatewayServer, idlePeriod: Duration = .seconds(60)) {
        self.server = server
        self.idlePeriod = idlePeriod
    }

    package func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let period = server.pipeline.keyRefreshPeriod
                try await Task.sleep(for: period.map { .nanoseconds($0.nanoseconds) } ?? idlePeriod)
                if period != nil { _ = try? await server.pipeline.refreshKeys()?.get() }
            }
        }
    }
}

extension JWKSRefreshService: CustomStringConvertible {
    /// The name only: service-lifecycle logs its services, and their fields (the compiler's environment
    /// among them) may hold secrets.
    package var description: String { "JWKSRefreshService" }
}
