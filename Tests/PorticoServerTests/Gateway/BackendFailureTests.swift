import Foundation
import NIOCore
import NIOPosix
import PorticoHTTP2
import PorticoServer
import PorticoTesting
import Testing

/// Circuit breakers, retries and readiness against a real backend that fails, stops and comes back.
@Suite struct BackendFailureTests {
    @Test func aStoppedBackendOpensTheBreakerWhichClosesAfterTheBackendReturns() async throws {
        let backendGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        var backend = try await ProbeBackend.start(group: backendGroup)
        let port = backend.port
        let clock = ManualClock()
        let mappings = try GatewayHarness.mappings(backend: "circuit_breaker: { consecutive_failures: 2, open_for: 10s }\nretries: off")
        try await GatewayHarness.withProbe(backendAddress: "127.0.0.1:\(port)", mappings: mappings, clock: clock) { gateway in
            let admin = try #require(gateway.server.adminAddress?.port)
            #expect(try await gateway.send("GET", "/v1/fail/0").status == 200)
            #expect(try await gateway.send("GET", "/readyz", port: admin).status == 200)

            try await backend.close()
            for _ in 0..<2 {
                let failed = try await gateway.send("GET", "/v1/fail/0")
                #expect(failed.status == 503)
                #expect(try failed.object["message"] as? String == "upstream unavailable")
            }
            let refused = try await gateway.send("GET", "/v1/fail/0")
            #expect(refused.status == 503)
            #expect(refused.header("retry-after") == "10")
            #expect(try refused.object["message"] as? String == "backend probe is unavailable: its circuit breaker is open")
            let breakers = try await gateway.send("GET", "/admin/breakers", port: admin)
            #expect(breakers.body == #"[{"backend":"probe","state":"open","in_flight":0}]"#)
            let stillReady = try await gateway.send("GET", "/readyz", port: admin)
            #expect(stillReady.status == 200, "readiness is the gateway's own; one backend's breaker must not take it out of rotation")
            #expect(try stillReady.object["status"] as? String == "ready")

            backend = try await ProbeBackend.start(group: backendGroup, port: port)
            #expect(try await gateway.send("GET", "/v1/fail/0").status == 503, "still open until open_for has passed")
            clock.advance(by: .seconds(10))
            #expect(try await gateway.send("GET", "/v1/fail/0").status == 200)
            let closed = try await gateway.send("GET", "/admin/breakers", port: admin)
            #expect(closed.body == #"[{"backend":"probe","state":"closed","in_flight":0}]"#)
            #expect(try await gateway.send("GET", "/readyz", port: admin).status == 200)
        }
        try await backend.close()
        try await backendGroup.shutdownGracefully()
    }

    @Test func clientErrorsDoNotOpenTheBreakerButConfiguredCodesDo() async throws {
        let mappings = try GatewayHarness.mappings(backend: "circuit_breaker: { consecutive_failures: 2, failure_codes: [RESOURCE_EXHAUSTED] }")
        try await GatewayHarness.withProbe(mappings: mappings, clock: ManualClock()) { gateway in
            for _ in 0..<4 {
                #expect(try await gateway.send("GET", "/v1/fail/3").status == 400)
            }
            #expect(try await gateway.send("GET", "/v1/fail/8").status == 429)
            #expect(try await gateway.send("GET", "/v1/fail/8").status == 429)
            let refused = try await gateway.send("GET", "/v1/fail/0")
            #expect(refused.status == 503)
            #expect(try refused.object["message"] as? String == "backend probe is unavailable: its circuit breaker is open")
        }
    }

    @Test func idempotentCallsAreRetriedOnUnavailableOthersAreNot() async throws {
        try await GatewayHarness.withProbe { gateway in
            let recovered = try await gateway.send("GET", "/v1/flaky/twice?failures=2")
            #expect(recovered.status == 200)
            #expect(try recovered.object["attempts"] as? Int == 3)

            #expect(try await gateway.send("GET", "/v1/flaky/thrice?failures=3").status == 503, "two retries at most")
            #expect(try await gateway.send("GET", "/v1/flaky/thrice?failures=3").status == 200, "the fourth call succeeds")

            let notRetried = try await gateway.send("POST", "/v1/flaky/post?failures=1", headers: ["Content-Type": "application/json"], body: "{}")
            #expect(notRetried.status == 503)
        }
    }

    @Test func theRetryBudgetCapsRetries() async throws {
        let mappings = try GatewayHarness.mappings(backend: "retries: { budget: 0%, minimum_retries: 1 }")
        try await GatewayHarness.withProbe(mappings: mappings, clock: ManualClock()) { gateway in
            let first = try await gateway.send("GET", "/v1/flaky/first?failures=1")
            #expect(first.status == 200)
            let second = try await gateway.send("GET", "/v1/flaky/second?failures=1")
            #expect(second.status == 503, "the budget's one retry is spent")
        }
    }

    @Test func aBackendThatKeepsSendingGoAwayLosesNoRequest() async throws {
        let backendGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        var configuration = GRPCServerConfiguration()
        configuration.goAwayAfterStreams = 3
        let backend = try await ProbeBackend.start(group: backendGroup, configuration: configuration)
        try await GatewayHarness.withProbe(backendAddress: "127.0.0.1:\(backend.port)") { gateway in
            let statuses = try await withThrowingTaskGroup(of: [Int].self) { group in
                for client in 0..<8 {
                    group.addTask {
                        var statuses: [Int] = []
                        for call in 0..<10 {
                            let path = call.isMultiple(of: 2) ? "/v1/fail/0" : "/v1/flaky/goaway-\(client)-\(call)"
                            statuses.append(try await gateway.send("GET", path).status)
                        }
                        return statuses
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(statuses.count == 80)
            #expect(statuses.allSatisfy { $0 == 200 })
        }
        try await backend.close()
        try await backendGroup.shutdownGracefully()
    }

    @Test func aRestartedBackendIsReachedAgainWithoutAnError() async throws {
        let backendGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        var backend = try await ProbeBackend.start(group: backendGroup)
        let port = backend.port
        try await GatewayHarness.withProbe(backendAddress: "127.0.0.1:\(port)") { gateway in
            #expect(try await gateway.send("GET", "/v1/fail/0").status == 200)
            for _ in 0..<3 {
                try await backend.close()
                backend = try await ProbeBackend.start(group: backendGroup, port: port)
                #expect(try await gateway.send("GET", "/v1/fail/0").status == 200)
                let echo = try await gateway.send("POST", "/v1/echo", headers: ["Content-Type": "application/json"], body: "{}")
                #expect(echo.status == 200)
            }
        }
        try await backend.close()
        try await backendGroup.shutdownGracefully()
    }

    @Test func deadlinesTheClientShortenedDoNotOpenTheBreaker() async throws {
        let mappings = try GatewayHarness.mappings(backend: "circuit_breaker: { consecutive_failures: 2 }\nretries: off")
        try await GatewayHarness.withProbe(mappings: mappings, clock: ManualClock()) { gateway in
            let admin = try #require(gateway.server.adminAddress?.port)
            for timeout in ["X-Request-Timeout": "1ns", "grpc-timeout": "1n"] {
                for _ in 0..<3 {
                    let reply = try await gateway.send("GET", "/v1/sleep?millis=200", headers: [timeout.key: timeout.value])
                    #expect(reply.status == 504)
                }
            }
            let breakers = try await gateway.send("GET", "/admin/breakers", port: admin)
            #expect(breakers.body == #"[{"backend":"probe","state":"closed","in_flight":0}]"#)
            #expect(try await gateway.send("GET", "/v1/fail/0").status == 200)
            #expect(try await gateway.send("GET", "/readyz", port: admin).status == 200)
        }
    }

    @Test func theRoutesOwnDeadlineStillCountsAsAFailure() async throws {
        let mappings = try GatewayHarness.mappings(backend: "circuit_breaker: { consecutive_failures: 2 }\nretries: off")
        try await GatewayHarness.withProbe(mappings: mappings, clock: ManualClock()) { gateway in
            for _ in 0..<2 {
                let timedOut = try await gateway.send("GET", "/v1/slow?millis=1000")
                #expect(timedOut.status == 504)
            }
            let refused = try await gateway.send("GET", "/v1/fail/0")
            #expect(refused.status == 503, "the breaker opened")
        }
    }

    @Test func aClientThatGoesAwayCancelsItsBackendCall() async throws {
        let log = CapturedAccessLog()
        let mappings = try GatewayHarness.mappings(
            gatewayBase: "listen: 127.0.0.1:0\naccess_log: stdout\n",
            backend: "circuit_breaker: { consecutive_failures: 1 }",
            routes: "  - selector: probe.v1.ProbeService.Sleep\n    timeout: 600s"
        )
        try await GatewayHarness.withProbe(mappings: mappings, accessLog: log) { gateway in
            let admin = try #require(gateway.server.adminAddress?.port)
            let channel = try await ClientBootstrap(group: gateway.group).connect(host: "127.0.0.1", port: gateway.port).get()
            try await channel.writeAndFlush(ByteBuffer(string: "GET /v1/sleep?millis=3600000 HTTP/1.1\r\nHost: a\r\n\r\n")).get()
            try await channel.close()
            var lines = log.lines.makeAsyncIterator()
            let line = try #require(await lines.next())
            #expect(line.contains(#""status":499"#), "\(line)")
            let breakers = try await gateway.send("GET", "/admin/breakers", port: admin)
            #expect(breakers.body == #"[{"backend":"probe","state":"closed","in_flight":0}]"#, "the call ended and did not count")
        }
    }

    @Test func aBackendThatRefusesConnectionsAnswers503AtOnceEveryTime() async throws {
        let mappings = try GatewayHarness.mappings(backend: "circuit_breaker: off\nretries: off")
        try await GatewayHarness.withProbe(backendAddress: "127.0.0.1:1", mappings: mappings) { gateway in
            for _ in 0..<6 {
                let reply = try await gateway.send("GET", "/v1/slow?millis=0")
                #expect(reply.status == 503, "not a timeout after waiting out the reconnect back-off")
            }
        }
    }
}

/// Collects access-log lines as they are written.
final class CapturedAccessLog: AccessLogSink {
    private let continuation: AsyncStream<String>.Continuation
    let lines: AsyncStream<String>

    init() {
        (lines, continuation) = AsyncStream.makeStream()
    }

    func write(line: [UInt8]) {
        continuation.yield(String(decoding: line, as: UTF8.self))
    }
}
