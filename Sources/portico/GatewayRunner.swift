import Dispatch
import Logging
import Metrics
import NIOCore
import PorticoServer
import ServiceLifecycle
import UnixSignals

#if canImport(Glibc)
import Glibc
#endif

/// Runs a gateway as a `ServiceGroup` (the listeners, the SIGHUP reload and the JWKS refresh) until SIGTERM or
/// SIGINT, then drains it gracefully.
struct GatewayRunner {
    let paths: GatewayPaths
    let tracing: TracingOptions
    let group: any EventLoopGroup

    /// Runs the gateway of `snapshot`, over HTTPS too with the snapshot's `tls:` or else `tls`.
    func run(snapshot: GatewaySnapshot, tls: ListenerTLS? = nil) async throws {
        let logger = Logger(label: "portico")
        let tracing = try self.tracing.makeTracer(logger: Logger(label: "portico.otel"))
        let server = try await GatewayServer.start(
            snapshot: snapshot, group: group, accessLog: LogWriter.standardOutput, tls: tls, tracer: tracing?.tracer
        )
        MetricsSystem.bootstrap(server.metrics.factory)
        for warning in snapshot.warnings { logger.warning("\(warning)") }
        var started: Logger.Metadata = ["routes": "\(snapshot.routeCount)", "listen": "http://\(describe(server.localAddress))"]
        if let secure = server.secureAddress { started["tls"] = "https://\(describe(secure))" }
        if let admin = server.adminAddress { started["admin"] = "http://\(describe(admin))" }
        if tracing != nil { started["tracing"] = "otlp" }
        logger.info("portico started", metadata: started)
        let gateway = GatewayService(server: server, gracePeriod: .seconds(10)) {
            logger.info("portico stopping; draining requests in flight")
        }
        let reload = ReloadService(server: server, compiler: paths.compiler) { outcome in
            switch outcome {
            case .success(let reload):
                logger.info("configuration reloaded", metadata: ["routes": "\(reload.snapshot.routeCount)"])
                if !reload.needsRestart.isEmpty {
                    logger.warning("settings changed that apply only after a restart", metadata: ["settings": "\(reload.needsRestart.joined(separator: ", "))"])
                }
            case .failure(let error):
                logger.error("reload failed; the running configuration stays", metadata: ["problems": "\(error.problems.joined(separator: "; "))"])
            }
        }
        var members: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: gateway, successTerminationBehavior: .gracefullyShutdownGroup),
            .init(service: reload, successTerminationBehavior: .gracefullyShutdownGroup),
            .init(service: JWKSRefreshService(server: server), successTerminationBehavior: .gracefullyShutdownGroup),
        ]
        if let exporter = tracing?.exporter {
            members.append(.init(service: exporter, successTerminationBehavior: .gracefullyShutdownGroup))
        }
        let services = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: members,
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        ))
        try await services.run()
        LogWriter.standardOutput.flush()
    }

    private func describe(_ address: SocketAddress?) -> String {
        guard let address, let ip = address.ipAddress, let port = address.port else { return "?" }
        return address.protocol == .inet6 ? "[\(ip)]:\(port)" : "\(ip):\(port)"
    }
}

/// Process signals as an async sequence; the default action of each signal is turned off.
final class SignalStream {
    let stream: AsyncStream<Int32>
    private let sources: [any DispatchSourceSignal]

    init(signals: [Int32]) {
        let (stream, continuation) = AsyncStream.makeStream(of: Int32.self)
        self.stream = stream
        sources = signals.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { continuation.yield(number) }
            source.resume()
            return source
        }
    }
}
