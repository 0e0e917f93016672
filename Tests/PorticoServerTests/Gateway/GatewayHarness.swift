import Foundation
import NIOCore
import NIOPosix
import PorticoCodec
import PorticoConfig
import PorticoCore
import PorticoDemo
import PorticoHTTP2
import PorticoSchema
import PorticoServer
import PorticoTesting
import Tracing

/// A gateway on 127.0.0.1 port 0 in front of real backends: the demo backends on the bundled Protos and
/// Mappings, or the probe backend on the test fixtures. Requests go over real sockets.
final class GatewayHarness: Sendable {
    let group: MultiThreadedEventLoopGroup
    let server: GatewayServer
    private let shutdownBackends: @Sendable () async -> Void

    private init(group: MultiThreadedEventLoopGroup, server: GatewayServer, shutdownBackends: @escaping @Sendable () async -> Void) {
        self.group = group
        self.server = server
        self.shutdownBackends = shutdownBackends
    }

    var port: Int { server.localAddress?.port ?? 0 }

    /// The demo backends and the gateway on the bundled folders, its policies on `clock`.
    private static func demo(clock: any MonotonicClock) async throws -> GatewayHarness {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let schema = try ProtoLoader(includeRoots: [Fixtures.protosDirectory])
            .load(files: ProtoLoader(includeRoots: [Fixtures.protosDirectory]).discoverFiles() + BuiltInProtos.errorModelFiles).pool
        let any = (host: "127.0.0.1", port: 0)
        let backends = try await DemoBackends.start(
            descriptors: try DescriptorPool(schema: schema),
            addresses: DemoBackends.Addresses(users: any, orders: any, products: [any, any]),
            group: group
        )
        let ports = backends.ports
        let environment = [
            "USERS_ADDR": "127.0.0.1:\(ports[0])", "ORDERS_ADDR": "127.0.0.1:\(ports[1])", "PRODUCTS_ENDPOINTS": "127.0.0.1:\(ports[2]),127.0.0.1:\(ports[3])",
            "PORTICO_ACCESS_LOG": "off",
        ]
        let snapshot = try GatewayCompiler(
            protosDirectory: Fixtures.protosDirectory, mappingsDirectory: Fixtures.mappingsDirectory, environment: environment
        ).compile()
        let server = try await GatewayServer.start(
            snapshot: snapshot, group: group, accessLog: nil,
            listen: HostPort(host: "127.0.0.1", port: 0), adminListen: HostPort(host: "127.0.0.1", port: 0), clock: clock
        )
        return GatewayHarness(group: group, server: server) { await backends.close() }
    }

    /// The probe backend (``ProbeBackend``) at `backendAddress`, or at a fresh port when `nil`, behind a
    /// gateway on `mappings` (the fixture folder by default) whose policies run on `clock`.
    private static func probe(
        backendAddress: String? = nil,
        mappings: URL = Fixtures.url("gateway/mappings"),
        clock: any MonotonicClock = SystemMonotonicClock(),
        accessLog: (any AccessLogSink)? = nil,
        tracer: (any Tracer)? = nil
    ) async throws -> GatewayHarness {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        var backend: GRPCServer?
        let address: String
        if let backendAddress {
            address = backendAddress
        } else {
            let started = try await ProbeBackend.start(group: group)
            backend = started
            address = "127.0.0.1:\(started.port)"
        }
        let snapshot = try GatewayCompiler(
            protosDirectory: Fixtures.url("gateway/protos"), mappingsDirectory: mappings,
            environment: ["PROBE_ADDR": address]
        ).compile()
        let server = try await GatewayServer.start(
            snapshot: snapshot, group: group, accessLog: accessLog,
            listen: HostPort(host: "127.0.0.1", port: 0), adminListen: HostPort(host: "127.0.0.1", port: 0), clock: clock, tracer: tracer
        )
        let startedBackend = backend
        return GatewayHarness(group: group, server: server) { try? await startedBackend?.close() }
    }

    /// Sends one request and reads the whole reply (the connection is closed after it).
    func send(_ method: String, _ target: String, headers: [String: String] = [:], body: String? = nil, port: Int? = nil) async throws -> HTTPReply {
        var head = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if let body { head += "Content-Length: \(body.utf8.count)\r\n" }
        let raw = try await RawHTTPClient.exchange(port: port ?? self.port, request: head + "\r\n" + (body ?? ""), group: group)
        return try HTTPReply(raw: raw)
    }

    /// Runs `body` against a demo gateway whose policies run on `clock`, and stops everything afterwards,
    /// whether `body` threw or not.
    static func withDemo(clock: any MonotonicClock = SystemMonotonicClock(), _ body: (GatewayHarness) async throws -> Void) async throws {
        try await run(try await demo(clock: clock), body)
    }

    /// Runs `body` against a probe gateway and stops everything afterwards, whether `body` threw or not.
    static func withProbe(
        backendAddress: String? = nil,
        mappings: URL = Fixtures.url("gateway/mappings"),
        clock: any MonotonicClock = SystemMonotonicClock(),
        accessLog: (any AccessLogSink)? = nil,
        tracer: (any Tracer)? = nil,
        _ body: (GatewayHarness) async throws -> Void
    ) async throws {
        try await run(try await probe(backendAddress: backendAddress, mappings: mappings, clock: clock, accessLog: accessLog, tracer: tracer), body)
    }

    /// A mappings folder for tests that configure policies: `gatewayBase` (the fixture's `gateway.yaml` by
    /// default) with `gateway` appended, and the probe backend's file with `backend` added to its `backend:`
    /// section and `routes` as its `routes:` entries.
    static func mappings(gatewayBase: String? = nil, gateway: String = "", backend: String = "", routes: String = "") throws -> URL {
        let folder = try Scratch.folder("mappings")
        let base = try gatewayBase ?? String(contentsOf: Fixtures.url("gateway/mappings/gateway.yaml"), encoding: .utf8)
        try (base + "\n" + gateway + "\n").write(to: folder.appendingPathComponent("gateway.yaml"), atomically: true, encoding: .utf8)
        let probe = """
            backend:
              name: probe
              address: ${PROBE_ADDR}
              timeout: 5s
              services: [probe.v1.ProbeService]
            \(backend.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
            routes:
              - selector: probe.v1.ProbeService.Slow
                timeout: 200ms
            \(routes)

            """
        try probe.write(to: folder.appendingPathComponent("probe.yaml"), atomically: true, encoding: .utf8)
        return folder
    }

    private static func run(_ gateway: GatewayHarness, _ body: (GatewayHarness) async throws -> Void) async throws {
        do {
            try await body(gateway)
        } catch {
            try await gateway.stop()
            throw error
        }
        try await gateway.stop()
    }

    func stop() async throws {
        await server.shutdown(gracePeriod: .seconds(1))
        await shutdownBackends()
        try await group.shutdownGracefully()
    }
}
