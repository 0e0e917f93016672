import Foundation
import NIOCore
import PorticoServer
import PorticoTesting
import Testing

/// The response cache over real sockets in front of the probe backend: concurrent misses make one backend
/// call, a stale answer is served while one request refreshes it, and the admin listener purges.
@Suite struct ResponseCacheEndToEndTests {
    /// Sends `count` requests at once and returns their `X-Cache` values.
    private func concurrently(_ gateway: GatewayHarness, _ count: Int, _ target: String) async throws -> [String] {
        try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<count {
                group.addTask {
                    let reply = try await gateway.send("GET", target)
                    return reply.status == 200 ? (reply.header("x-cache") ?? "none") : "status \(reply.status)"
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
    }

    private func backendCalls(_ gateway: GatewayHarness) -> Double? {
        PrometheusText(gateway.server.metrics.exposition()).value(#"portico_backend_call_duration_seconds_count{backend="probe"}"#)
    }

    @Test func concurrentMissesMakeOneBackendCall() async throws {
        let mappings = try GatewayHarness.mappings(routes: "  - selector: probe.v1.ProbeService.Sleep\n    cache: { ttl: 30s }")
        try await GatewayHarness.withProbe(mappings: mappings, clock: ManualClock()) { gateway in
            let results = try await concurrently(gateway, 40, "/v1/sleep?millis=300")
            #expect(results.filter { $0 == "MISS" }.count == 1)
            #expect(results.filter { $0 == "HIT" }.count == 39, "\(results)")
            #expect(backendCalls(gateway) == 1, "the 39 others waited for the one call in flight")
            let admin = try #require(gateway.server.adminAddress?.port)
            let purge = try await gateway.send("POST", "/admin/cache/purge", port: admin)
            #expect(purge.body == #"{"purged":1}"#)
            #expect(try await gateway.send("GET", "/v1/sleep?millis=1").header("x-cache") == "MISS")
            #expect(try await gateway.send("GET", "/admin/cache/purge", port: admin).status == 405)
        }
    }

    @Test func aStaleAnswerIsServedWhileOneRequestRefreshesIt() async throws {
        let mappings = try GatewayHarness.mappings(routes: "  - selector: probe.v1.ProbeService.Sleep\n    cache: { ttl: 1s, stale_while_revalidate: 60s }")
        let clock = ManualClock()
        try await GatewayHarness.withProbe(mappings: mappings, clock: clock) { gateway in
            #expect(try await gateway.send("GET", "/v1/sleep?millis=300").header("x-cache") == "MISS")
            clock.advance(by: .seconds(2))
            let results = try await concurrently(gateway, 20, "/v1/sleep?millis=300")
            #expect(results.filter { $0 == "MISS" }.count == 1, "one request refreshes: \(results)")
            #expect(results.filter { $0 == "STALE" || $0 == "HIT" }.count == 19, "\(results)")
            #expect(backendCalls(gateway) == 2)
        }
    }
}
