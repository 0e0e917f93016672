import Foundation
import NIOCore
import NIOPosix
import PorticoConfig
import PorticoServer
import PorticoTesting
import Synchronization
import Testing

/// A reload swaps in a configuration that compiles and keeps the running one otherwise.
@Suite struct ReloadTests {
    @Test func aBadReloadKeepsTheRunningSnapshot() async throws {
        let mappings = try Scratch.folder("reload")
        defer { try? FileManager.default.removeItem(at: mappings) }
        for file in ["gateway.yaml", "probe.yaml"] {
            try FileManager.default.copyItem(at: Fixtures.url("gateway/mappings/\(file)"), to: mappings.appendingPathComponent(file))
        }
        let compiler = GatewayCompiler(
            protosDirectory: Fixtures.url("gateway/protos"), mappingsDirectory: mappings, environment: ["PROBE_ADDR": "127.0.0.1:1"]
        )
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let wallClock = ManualWallClock(1_800_000_000)
        let server = try await GatewayServer.start(
            snapshot: try compiler.compile(), group: group, accessLog: nil, listen: HostPort(host: "127.0.0.1", port: 0),
            wallClock: { wallClock.now }
        )
        let first = server.pipeline.snapshot
        wallClock.now = 1_800_000_100

        try Data("backend: { name: probe, address: 127.0.0.1:1, timeout: soon }\n".utf8)
            .write(to: mappings.appendingPathComponent("probe.yaml"))
        guard case .failure(let error) = server.reload(using: compiler) else {
            Issue.record("a broken mapping file must not reload")
            return
        }
        #expect(error.problems.first?.contains("backend.timeout") == true)
        #expect(server.pipeline.snapshot === first)
        var metrics = PrometheusText(server.metrics.exposition())
        #expect(metrics.value(#"portico_config_reloads_total{result="failure"}"#) == 1)
        #expect(metrics.value(#"portico_config_reloads_total{result="success"}"#) == 0)
        #expect(metrics.value("portico_config_last_reload_success_timestamp_seconds") == 1_800_000_000, "the start's configuration")
        wallClock.now = 1_800_000_200

        try Data("backend: { name: probe, address: 127.0.0.1:1, services: [probe.v1.ProbeService] }\nhttp:\n  rules:\n    - selector: probe.v1.ProbeService.Echo\n      put: /v2/echo\n      body: \"*\"\n".utf8)
            .write(to: mappings.appendingPathComponent("probe.yaml"))
        guard case .success(let reload) = server.reload(using: compiler) else {
            Issue.record("a fixed mapping file must reload")
            return
        }
        #expect(server.pipeline.snapshot === reload.snapshot)
        #expect(RouteListing(snapshot: reload.snapshot).entries.contains { $0.method == "PUT" && $0.path == "/v2/echo" })
        #expect(reload.needsRestart.isEmpty)
        metrics = PrometheusText(server.metrics.exposition())
        #expect(metrics.value(#"portico_config_reloads_total{result="success"}"#) == 1)
        #expect(metrics.value("portico_config_last_reload_success_timestamp_seconds") == 1_800_000_200)

        await server.shutdown(gracePeriod: .seconds(1))
        try await group.shutdownGracefully()
    }

    @Test func aReloadAppliesListenerLimitsAndNamesWhatNeedsARestart() async throws {
        let mappings = try Scratch.folder("reload")
        defer { try? FileManager.default.removeItem(at: mappings) }
        try FileManager.default.copyItem(at: Fixtures.url("gateway/mappings/probe.yaml"), to: mappings.appendingPathComponent("probe.yaml"))
        let gatewayFile = mappings.appendingPathComponent("gateway.yaml")
        try Data("listen: 127.0.0.1:0\naccess_log: off\nlimits:\n  max_body_bytes: 64KiB\n".utf8).write(to: gatewayFile)
        let compiler = GatewayCompiler(
            protosDirectory: Fixtures.url("gateway/protos"), mappingsDirectory: mappings, environment: ["PROBE_ADDR": "127.0.0.1:1"]
        )
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let server = try await GatewayServer.start(
            snapshot: try compiler.compile(), group: group, accessLog: nil, listen: HostPort(host: "127.0.0.1", port: 0)
        )
        let port = try #require(server.localAddress?.port)
        let body = String(repeating: "x", count: 2048)
        let request = "POST /v1/echo HTTP/1.1\r\nHost: a\r\nConnection: close\r\nContent-Length: 2048\r\n\r\n\(body)"
        let before = try await RawHTTPClient.exchange(port: port, request: request, group: group)
        #expect(!before.hasPrefix("HTTP/1.1 413"))

        try Data("listen: 127.0.0.1:9\naccess_log: off\nlimits:\n  max_body_bytes: 1KiB\n".utf8).write(to: gatewayFile)
        guard case .success(let reload) = server.reload(using: compiler) else {
            Issue.record("the new gateway.yaml must reload")
            return
        }
        #expect(reload.needsRestart == ["listen"])
        let after = try await RawHTTPClient.exchange(port: port, request: request, group: group)
        #expect(after.hasPrefix("HTTP/1.1 413 Payload Too Large\r\n"), "the new limit applies to new connections")

        await server.shutdown(gracePeriod: .seconds(1))
        try await group.shutdownGracefully()
    }
}

/// A Unix time the test sets.
private final class ManualWallClock: Sendable {
    private let seconds: Mutex<Double>

    init(_ seconds: Double) {
        self.seconds = Mutex(seconds)
    }

    var now: Double {
        get { seconds.withLock { $0 } }
        set { seconds.withLock { $0 = newValue } }
    }
}
