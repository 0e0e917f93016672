import ServiceLifecycle
import UnixSignals

/// Reloads a gateway's configuration on every SIGHUP, as a service of a `ServiceGroup`, until the group
/// shuts down; each outcome goes to `report`.
package struct ReloadService: Service {
    private let server: GatewayServer
    private let compiler: GatewayCompiler
    private let report: @Sendable (Result<GatewayReload, GatewayCompileError>) -> Void

    package init(
        server: GatewayServer,
        compiler: GatewayCompiler,
        report: @escaping @Sendable (Result<GatewayReload, GatewayCompileError>) -> Void
    ) {
        self.server = server
        self.compiler = compiler
        self.report = report
    }

    package func run() async throws {
        for await _ in await UnixSignalsSequence(trapping: .sighup).cancelOnGracefulShutdown() {
            report(server.reload(using: compiler))
        }
    }
}

extension ReloadService: CustomStringConvertible {
    /// The name only: service-lifecycle logs its services, and their fields (the compiler's environment
    /// among them) may hold secrets.
    package var description: String { "ReloadService" }
}
