import Foundation
import Logging
import NIOCore
import NIOPosix
import PorticoConfig
import PorticoHTTP2
import PorticoServer
import PorticoTesting
import ServiceLifecycle
import Testing

/// The gateway as a service of a `ServiceGroup`: it serves until a graceful shutdown, then drains and stops.
@Suite struct LifecycleTests {
    @Test func aGracefulShutdownOfTheGroupDrainsAndStopsTheGateway() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let backend = try await ProbeBackend.start(group: group)
        let compiler = GatewayCompiler(
            protosDirectory: Fixtures.url("gateway/protos"), mappingsDirectory: Fixtures.url("gateway/mappings"),
            environment: ["PROBE_ADDR": "127.0.0.1:\(backend.port)"]
        )
        let server = try await GatewayServer.start(
            snapshot: try compiler.compile(), group: group, accessLog: nil, listen: HostPort(host: "127.0.0.1", port: 0)
        )
        let port = try #require(server.localAddress?.port)
        let (drainingStream, draining) = AsyncStream<Void>.makeStream()
        let services = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [
                .init(service: GatewayService(server: server, gracePeriod: .seconds(5)) { draining.yield() }),
                .init(service: ReloadService(server: server, compiler: compiler) { _ in }),
                .init(service: JWKSRefreshService(server: server)),
            ],
            logger: Logger(label: "portico.test")
        ))
        let running = Task { try await services.run() }

        let reply = try await RawHTTPClient.exchange(
            port: port, request: "GET /v1/fail/0 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", group: group
        )
        #expect(reply.hasPrefix("HTTP/1.1 200 OK\r\n"))

        await services.triggerGracefulShutdown()
        var drained = drainingStream.makeAsyncIterator()
        await drained.next()
        try await running.value
        await #expect(throws: (any Error).self, "the listener no longer accepts") {
            _ = try await ClientBootstrap(group: group).connect(host: "127.0.0.1", port: port).get()
        }
        try await backend.close()
        try await group.shutdownGracefully()
    }
}
