import Foundation
import NIOCore
import PorticoServer
import PorticoTesting
import Testing

/// Rate limits through the whole gateway, on a manual clock: the `RateLimit` headers, 429 with
/// `Retry-After`, buckets per client address, trusted proxies, and exactness under concurrent load.
@Suite struct RateLimitEndToEndTests {
    @Test func thePerClientLimitRefusesAFloodBeforeAnyCredentialIsChecked() async throws {
        let clock = ManualClock()
        let mappings = try GatewayHarness.mappings(
            gateway: """
                auth:
                  jwt:
                    issuer: https://auth.demo.portico.dev
                    hs_secret: portico-demo-secret-change-me-0123456789abcdef
                rate_limits:
                  per_client: { limit: 1, period: 1m, burst: 3 }
                """,
            routes: "  - selector: probe.v1.ProbeService.Slow\n    auth: jwt"
        )
        try await GatewayHarness.withProbe(mappings: mappings, clock: clock) { gateway in
            let bogus = ["Authorization": "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"]
            for _ in 0..<2 { #expect(try await gateway.send("GET", "/v1/slow", headers: bogus).status == 401) }
            #expect(try await gateway.send("GET", "/v1/nowhere").status == 404, "unknown paths count too")
            let refused = try await gateway.send("GET", "/v1/slow", headers: bogus)
            #expect(refused.status == 429)
            #expect(refused.header("retry-after") == "60")
            #expect(try refused.object["message"] as? String == "too many requests from this address; retry after 60 s")
            let metrics = PrometheusText(gateway.server.metrics.exposition())
            #expect(metrics.value(#"portico_auth_failures_total{reason="invalid_token"}"#) == 2, "the refused request's token was never checked")
            #expect(metrics.value("portico_requests_client_limited_total") == 1)
            clock.advance(by: .seconds(60))
            #expect(try await gateway.send("GET", "/v1/slow", headers: bogus).status == 401)
        }
    }

    @Test func theBurstIsAdmittedThenRefusedWith429UntilTheScheduleAllows() async throws {
        let clock = ManualClock()
        let mappings = try GatewayHarness.mappings(gateway: "defaults:\n  rate_limit: { limit: 3, period: 1m }")
        try await GatewayHarness.withProbe(mappings: mappings, clock: clock) { gateway in
            for remaining in [2, 1, 0] {
                let reply = try await gateway.send("GET", "/v1/fail/0")
                #expect(reply.status == 200)
                #expect(reply.header("ratelimit-policy") == #""probe";q=3;w=60"#)
                #expect(reply.header("ratelimit")?.hasPrefix(#""probe";r=\#(remaining);t="#) == true)
            }
            let refused = try await gateway.send("GET", "/v1/fail/0")
            #expect(refused.status == 429)
            #expect(refused.header("retry-after") == "20")
            #expect(refused.header("ratelimit") == #""probe";r=0;t=60"#)
            #expect(try refused.object["code"] as? Int == 8)
            #expect(try refused.object["message"] as? String == "rate limit exceeded; retry after 20 s")

            clock.advance(by: .seconds(20))
            #expect(try await gateway.send("GET", "/v1/fail/0").status == 200)
            #expect(try await gateway.send("GET", "/v1/fail/0").status == 429)
        }
    }

    @Test func aRouteLimitReplacesTheBackendsAndOffLiftsIt() async throws {
        let mappings = try GatewayHarness.mappings(
            backend: "rate_limit: { limit: 1, period: 1h }",
            routes: """
                  - selector: probe.v1.ProbeService.Echo
                    rate_limit: { limit: 2, period: 1h }
                  - selector: probe.v1.ProbeService.Fail
                    rate_limit: off
                """
        )
        try await GatewayHarness.withProbe(mappings: mappings, clock: ManualClock()) { gateway in
            for expected in [200, 200, 429] {
                let reply = try await gateway.send("POST", "/v1/echo", headers: ["Content-Type": "application/json"], body: "{}")
                #expect(reply.status == expected)
            }
            for _ in 0..<5 {
                let reply = try await gateway.send("GET", "/v1/fail/0")
                #expect(reply.status == 200)
                #expect(reply.header("ratelimit") == nil)
            }
            #expect(try await gateway.send("GET", "/v1/flaky/a").status == 200)
            #expect(try await gateway.send("GET", "/v1/flaky/b").status == 429)
        }
    }

    @Test func forwardedForCountsOnlyThroughTrustedProxies() async throws {
        let limit = "defaults:\n  rate_limit: { limit: 1, period: 1h }"
        let trusted = try GatewayHarness.mappings(gateway: limit + "\nclient_ip:\n  trusted_proxies: [127.0.0.0/8]")
        try await GatewayHarness.withProbe(mappings: trusted, clock: ManualClock()) { gateway in
            let statuses = try await Self.statuses(gateway, forwardedFor: [
                "198.51.100.1, 203.0.113.7", "198.51.100.1, 203.0.113.7", "192.0.2.99, 203.0.113.7", "203.0.113.8",
            ])
            #expect(statuses == [200, 429, 429, 200])
        }
        let untrusted = try GatewayHarness.mappings(gateway: limit)
        try await GatewayHarness.withProbe(mappings: untrusted, clock: ManualClock()) { gateway in
            let statuses = try await Self.statuses(gateway, forwardedFor: ["203.0.113.7", "203.0.113.8"])
            #expect(statuses == [200, 429])
        }
    }

    private static func statuses(_ gateway: GatewayHarness, forwardedFor values: [String]) async throws -> [Int] {
        var statuses: [Int] = []
        for value in values {
            statuses.append(try await gateway.send("GET", "/v1/fail/0", headers: ["X-Forwarded-For": value]).status)
        }
        return statuses
    }

    @Test func fourConnectionsHammeringOneKeyGetExactlyTheLimit() async throws {
        let mappings = try GatewayHarness.mappings(gateway: "defaults:\n  rate_limit: { limit: 50, period: 1h }")
        try await GatewayHarness.withProbe(mappings: mappings, clock: ManualClock()) { gateway in
            let admitted = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        var admitted = 0
                        for _ in 0..<40 {
                            if try await gateway.send("GET", "/v1/fail/0").status == 200 { admitted += 1 }
                        }
                        return admitted
                    }
                }
                return try await group.reduce(0, +)
            }
            #expect(admitted == 50)
        }
    }
}
