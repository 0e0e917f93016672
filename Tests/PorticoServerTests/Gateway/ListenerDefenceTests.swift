import Foundation
import PorticoServer
import PorticoTesting
import Testing

/// The public listener against slow and greedy clients, over real sockets: request-head, body and keep-alive
/// timeouts, connection caps and load shedding.
@Suite struct ListenerDefenceTests {
    private static func mappings(_ limits: String) throws -> URL {
        try GatewayHarness.mappings(gatewayBase: """
            listen: 127.0.0.1:0
            access_log: off
            limits:
            \(limits.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
            """)
    }

    /// Waits until `condition` holds, looking every millisecond for at most ten seconds; `state` describes
    /// what was seen when it never does.
    private static func waitUntil(_ condition: () -> Bool, state: () -> String = { "" }) async throws {
        var waited = 0
        while !condition(), waited < 10_000 {
            try await Task.sleep(for: .milliseconds(1))
            waited += 1
        }
        #expect(condition(), "\(state())")
    }

    @Test func aHeadTrickledSlowlyIsAnswered408AndClosed() async throws {
        try await GatewayHarness.withProbe(mappings: try Self.mappings("request_head_timeout: 300ms")) { gateway in
            let reply = try await RawHTTPClient.exchange(port: gateway.port, request: "GET /v1/slow HTTP/1.1\r\nHost: x\r\nX-Slow: 1", group: gateway.group)
            #expect(reply.hasPrefix("HTTP/1.1 408 Request Timeout\r\n"), "\(reply)")
            #expect(reply.contains("connection: close"))
            #expect(reply.hasSuffix(#"{"code":4,"message":"the request did not arrive in time","details":[]}"#))
            let metrics = PrometheusText(gateway.server.metrics.exposition())
            #expect(metrics.value(#"portico_requests_timed_out_total{phase="head"}"#) == 1)
            #expect(metrics.value(#"portico_requests_timed_out_total{phase="body"}"#) == 0)
        }
    }

    @Test func aConnectionThatSendsNothingIsClosed() async throws {
        try await GatewayHarness.withProbe(mappings: try Self.mappings("request_head_timeout: 300ms")) { gateway in
            let reply = try await RawHTTPClient.exchange(port: gateway.port, request: "", group: gateway.group)
            #expect(reply.hasPrefix("HTTP/1.1 408"))
        }
    }

    @Test func aBodyThatStopsComingIsAnswered408() async throws {
        try await GatewayHarness.withProbe(mappings: try Self.mappings("body_read_timeout: 300ms")) { gateway in
            let head = "POST /v1/echo HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\ncontent-length: 40\r\n\r\n{\"te"
            let reply = try await RawHTTPClient.exchange(port: gateway.port, request: head, group: gateway.group)
            #expect(reply.hasPrefix("HTTP/1.1 408 Request Timeout\r\n"), "\(reply)")
            #expect(PrometheusText(gateway.server.metrics.exposition()).value(#"portico_requests_timed_out_total{phase="body"}"#) == 1)
        }
    }

    @Test func anIdleKeepAliveConnectionIsClosedAfterItsAnswer() async throws {
        try await GatewayHarness.withProbe(mappings: try Self.mappings("keep_alive_timeout: 300ms")) { gateway in
            let reply = try await RawHTTPClient.exchange(port: gateway.port, request: "GET /v1/slow HTTP/1.1\r\nHost: x\r\n\r\n", group: gateway.group)
            #expect(reply.hasPrefix("HTTP/1.1 200 OK\r\n"), "the answer, then the close after the idle timeout")
            #expect(!reply.contains("408"))
        }
    }

    @Test func aNextHeadStartedWhileTheLastIsAnsweredRunsOnTheHeadClock() async throws {
        let limits = "request_head_timeout: 2s\nkeep_alive_timeout: 30s"
        try await GatewayHarness.withProbe(mappings: try Self.mappings(limits)) { gateway in
            // Four seconds in flight (under the backend's 5 s deadline): room to see the first request in flight
            // and send the next head while it runs, even on a loaded machine.
            let metrics = gateway.server.metrics
            let reply = try await RawHTTPClient.exchange(
                port: gateway.port, request: "GET /v1/sleep?millis=4000 HTTP/1.1\r\nHost: x\r\n\r\n", then: "GET /v1/slow HTTP/1.1\r\nHost: x",
                group: gateway.group
            ) {
                try await Self.waitUntil { PrometheusText(metrics.exposition()).value("portico_requests_in_flight") == 1 } state: {
                    metrics.exposition().split(separator: "\n").filter { $0.hasPrefix("portico_requests") || $0.hasPrefix("portico_connections") }
                        .joined(separator: "\n")
                }
            }
            #expect(reply.hasPrefix("HTTP/1.1 200 OK\r\n"), "\(reply)")
            #expect(reply.contains("HTTP/1.1 408 Request Timeout\r\n"), "the unfinished head is timed out like any other, not kept alive: \(reply)")
            #expect(PrometheusText(metrics.exposition()).value(#"portico_requests_timed_out_total{phase="head"}"#) == 1)
        }
    }

    @Test func connectionsPastTheCapPerClientAreClosedAtOnce() async throws {
        try await GatewayHarness.withProbe(mappings: try Self.mappings("request_head_timeout: 2s\nmax_connections_per_client: 2")) { gateway in
            let port = gateway.port
            let group = gateway.group
            async let first = RawHTTPClient.exchange(port: port, request: "GET /v1/slow HTTP/1.1\r\n", group: group)
            async let second = RawHTTPClient.exchange(port: port, request: "GET /v1/slow HTTP/1.1\r\n", group: group)
            try await Self.waitUntil { gateway.server.openConnections == 2 }
            let third = try await RawHTTPClient.exchange(port: port, request: "GET /v1/slow HTTP/1.1\r\nHost: x\r\n\r\n", group: group)
            #expect(third == "", "closed as it was accepted: nothing answered")
            let metrics = PrometheusText(gateway.server.metrics.exposition())
            #expect(metrics.value(#"portico_connections_rejected_total{reason="per_client"}"#) == 1)
            #expect(metrics.value(#"portico_connections_rejected_total{reason="max_connections"}"#) == 0)
            #expect(try await first.hasPrefix("HTTP/1.1 408"))
            #expect(try await second.hasPrefix("HTTP/1.1 408"))
            try await Self.waitUntil { gateway.server.openConnections == 0 }
            let fourth = try await gateway.send("GET", "/v1/slow")
            #expect(fourth.status == 200, "closed connections leave the count")
        }
    }

    @Test func requestsPastTheInFlightCapAreShedWith503() async throws {
        try await GatewayHarness.withProbe(mappings: try Self.mappings("max_in_flight: 1")) { gateway in
            // Four seconds in flight (under the backend's 5 s deadline): room for the second request to arrive
            // while the first is still running, even on a loaded machine.
            async let slow = gateway.send("GET", "/v1/sleep?millis=4000")
            let metrics = gateway.server.metrics
            try await Self.waitUntil { PrometheusText(metrics.exposition()).value("portico_requests_in_flight") == 1 }
            let shed = try await gateway.send("GET", "/v1/slow")
            #expect(shed.status == 503)
            #expect(shed.header("retry-after") == "1")
            #expect(try shed.object["code"] as? Int == 14)
            #expect(PrometheusText(metrics.exposition()).value("portico_requests_shed_total") == 1)
            #expect(try await slow.status == 200)
            #expect(try await gateway.send("GET", "/v1/slow").status == 200)
        }
    }

    @Test func aConnectionPipeliningPastTheLimitIsClosed() async throws {
        try await GatewayHarness.withProbe(mappings: try Self.mappings("max_pipelined_requests: 4")) { gateway in
            let request = "GET /v1/sleep?millis=100 HTTP/1.1\r\nHost: x\r\n\r\n"
            let within = try await RawHTTPClient.exchange(
                port: gateway.port, request: String(repeating: request, count: 3) + "GET /v1/slow HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                group: gateway.group
            )
            #expect(within.components(separatedBy: "HTTP/1.1 200 OK").count == 5, "four answered")
            let past = try await RawHTTPClient.exchange(port: gateway.port, request: String(repeating: request, count: 20), group: gateway.group)
            #expect(past.components(separatedBy: "HTTP/1.1 200 OK").count - 1 < 20, "closed before all twenty were answered")
        }
    }
}
