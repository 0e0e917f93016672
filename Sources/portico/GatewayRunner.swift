import Dispatch
import Logging
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
    let group: any EventLoopGroup

    func run(snapshot: GatewaySnapshot) async throws {
        let server = try await GatewayServer.start(snapshot: snapshot, group: group, accessLog: StandardOutputAccessLog())
        for warning in snapshot.warnings { printError("warning: \(warning)") }
        printError("portico: \(snapshot.routeCount) routes; listening on http://\(describe(server.localAddress))"
            + (server.adminAddress.map { ", admin on http://\(describe($0))" } ?? ""))
        let gateway = GatewayService(server: server, gracePeriod: .seconds(10)) {
            printError("portico: stopping; draining requests in flight")
        }
        let reload = ReloadService(server: server, compiler: paths.compiler) { outcome in
            switch outcome {
            case .success(let reload):
                printError("portico: reloaded; \(reload.snapshot.routeCount) routes")
                if !reload.needsRestart.isEmpty {
                    printError("portico: \(reload.needsRestart.joined(separator: " and ")) changed; they apply after a restart")
                }
            case .failure(let error):
                printError("portico: reload failed; the running configuration stays\n\(error)")
            }
        }
        let services = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [
                .init(service: gateway, successTerminationBehavior: .gracefullyShutdownGroup),
                .init(service: reload, successTerminationBehavior: .gracefullyShutdownGroup),
                .init(service: JWKSRefreshService(server: server), successTerminationBehavior: .gracefullyShutdownGroup),
            ],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: Logger(label: "portico")
        ))
        try await services.run()
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
