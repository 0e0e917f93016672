import Foundation
import NIOCore
import NIOPosix
import PorticoHTTP2
import PorticoServer
import PorticoTesting
import Testing

/// `/metrics` on the admin listener after known traffic through real sockets and real backends: exact
/// counters, histogram buckets, breaker and pool gauges, the OpenMetrics variant, and `promtool`'s lint.
@Suite struct MetricsEndToEndTests {
    @Test func knownTrafficGivesExactCountersAndHistograms() async throws {
        try await GatewayHarness.withDemo { gateway in
            let admin = try #require(gateway.server.adminAddress?.port)
            for _ in 0..<3 { #expect(try await gateway.send("GET", "/v1/users/u1").status == 200) }
            #expect(try await gateway.send("GET", "/v1/users/nobody").status == 404)
            #expect(try await gateway.send("GET", "/v1/users/u1", headers: ["x-api-version": "v1"]).status == 200)
            #expect(try await gateway.send("GET", "/no/such/route").status == 404)
            #expect(try await gateway.send("PROPFIND", "/no/such/route").status == 404)
            #expect(try await gateway.send("POST", "/v1/orders", headers: ["content-type": "application/json"], body: "{}").status == 401)
            let badToken = ["authorization": "Bearer not.a.token", "content-type": "application/json"]
            #expect(try await gateway.send("POST", "/v1/orders", headers: badToken, body: "{}").status == 401)

            let reply = try await gateway.send("GET", "/metrics", port: admin)
            #expect(reply.status == 200)
            #expect(reply.header("content-type") == "text/plain; version=0.0.4; charset=utf-8")
            let metrics = PrometheusText(reply.body)
            let user = #"route="/v1/users/{user_id}",method="GET""#
            #expect(metrics.value(#"portico_requests_total{\#(user),status="200",grpc_code="OK",api_version="v2"}"#) == 3)
            #expect(metrics.value(#"portico_requests_total{\#(user),status="200",grpc_code="OK",api_version="v1"}"#) == 1)
            #expect(metrics.value(#"portico_requests_total{\#(user),status="404",grpc_code="NOT_FOUND",api_version="v2"}"#) == 1)
            #expect(metrics.value(#"portico_requests_total{route="unmatched",method="GET",status="404",grpc_code="NOT_FOUND",api_version="v2"}"#) == 1)
            #expect(
                metrics.value(#"portico_requests_total{route="unmatched",method="OTHER",status="404",grpc_code="NOT_FOUND",api_version="v2"}"#) == 1,
                "a method outside the standard ones is labelled OTHER, never the client's text"
            )
            #expect(metrics.value(#"portico_requests_total{route="/v1/orders",method="POST",status="401",grpc_code="UNAUTHENTICATED",api_version="v2"}"#) == 2)
            #expect(metrics.value(#"portico_auth_failures_total{reason="missing_credentials"}"#) == 1)
            #expect(metrics.value(#"portico_auth_failures_total{reason="invalid_token"}"#) == 1)
            #expect(metrics.value(#"portico_auth_failures_total{reason="insufficient_scope"}"#) == 0)

            #expect(metrics.value(#"portico_request_duration_seconds_count{\#(user)}"#) == 5)
            #expect(metrics.value(#"portico_request_duration_seconds_bucket{\#(user),le="+Inf"}"#) == 5)
            #expect(metrics.value(#"portico_request_duration_seconds_bucket{\#(user),le="30.0"}"#) == 5)
            let buckets = metrics.samples(named: "portico_request_duration_seconds_bucket", containing: user)
            #expect(buckets.count == 15, "14 bounds and +Inf")
            let sorted = buckets.sorted { $0.bound < $1.bound }.map(\.value)
            #expect(sorted == sorted.sorted(), "buckets are cumulative")
            #expect(metrics.value(#"portico_backend_call_duration_seconds_count{backend="users"}"#) == 5)
            #expect(metrics.value(#"portico_backend_call_duration_seconds_count{backend="orders"}"#) == 0)
            #expect(metrics.value(#"portico_transcoding_duration_seconds_count{direction="request"}"#) == 5)
            #expect(metrics.value(#"portico_transcoding_duration_seconds_count{direction="response"}"#) == 4)
            #expect(metrics.value(#"portico_request_body_bytes_total{route="/v1/orders",method="POST"}"#) == 4)
            #expect((metrics.value(#"portico_response_body_bytes_total{\#(user)}"#) ?? 0) > 0)
            #expect(metrics.value("portico_requests_in_flight") == 0)
            let connections = try #require(metrics.value(#"portico_backend_connections{backend="users"}"#))
            #expect((1...2).contains(connections), "one pool per event loop, each with one connection")
            #expect(metrics.value(#"portico_backend_connect_attempts_total{backend="users"}"#) == connections)
            #expect(metrics.value(#"portico_backend_connections{backend="orders"}"#) == 0)
            #expect(metrics.value(#"portico_circuit_breaker_state{backend="users",state="closed"}"#) == 1)
            #expect(metrics.value(#"portico_build_info{version="0.2.0-dev"}"#) == 1)
            #expect(metrics.value(#"portico_config_reloads_total{result="success"}"#) == 0)
            #expect(metrics.value("portico_log_lines_dropped_total") == 0)
            #expect(!reply.body.contains("/no/such/route"), "raw paths never become label values")
            #expect(reply.body.contains("# HELP portico_requests_total "))
            #expect(reply.body.contains("# TYPE portico_request_duration_seconds histogram"))

            try PromTool.checkMetrics(reply.body)
        }
    }

    @Test func openMetricsWhenTheScraperAsksForIt() async throws {
        try await GatewayHarness.withDemo { gateway in
            let admin = try #require(gateway.server.adminAddress?.port)
            #expect(try await gateway.send("GET", "/v1/users/u1").status == 200)
            let accept = ["accept": "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"]
            let reply = try await gateway.send("GET", "/metrics", headers: accept, port: admin)
            #expect(reply.status == 200)
            #expect(reply.header("content-type") == "application/openmetrics-text; version=1.0.0; charset=utf-8")
            #expect(reply.body.hasSuffix("# EOF\n"))
            #expect(reply.body.contains("# TYPE portico_requests counter\n"), "a counter family is named without _total")
            #expect(reply.body.contains("# HELP portico_requests Requests answered"))
            #expect(!reply.body.contains("# TYPE portico_requests_total"))
            let metrics = PrometheusText(reply.body)
            #expect(metrics.value(#"portico_requests_total{route="/v1/users/{user_id}",method="GET",status="200",grpc_code="OK",api_version="v2"}"#) == 1)

            let refused = try await gateway.send("GET", "/metrics", headers: ["accept": "application/openmetrics-text;q=0"], port: admin)
            #expect(refused.header("content-type") == "text/plain; version=0.0.4; charset=utf-8")
        }
    }

    @Test func breakerAndPoolSeriesFollowAStoppedBackend() async throws {
        let mappings = try GatewayHarness.mappings(backend: "circuit_breaker: { consecutive_failures: 2, open_for: 10s }\nretries: off")
        let backendGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let backend = try await ProbeBackend.start(group: backendGroup)
        try await GatewayHarness.withProbe(backendAddress: "127.0.0.1:\(backend.port)", mappings: mappings, clock: ManualClock()) { gateway in
            let admin = try #require(gateway.server.adminAddress?.port)
            #expect(try await gateway.send("GET", "/v1/fail/0").status == 200)
            var metrics = PrometheusText(try await gateway.send("GET", "/metrics", port: admin).body)
            #expect(metrics.value(#"portico_circuit_breaker_state{backend="probe",state="closed"}"#) == 1)
            #expect(metrics.value(#"portico_circuit_breaker_state{backend="probe",state="open"}"#) == 0)
            #expect(metrics.value(#"portico_backend_connections{backend="probe"}"#) == 1, "one request, one event loop's pool")

            try await backend.close()
            for _ in 0..<3 { #expect(try await gateway.send("GET", "/v1/fail/0").status == 503) }
            metrics = PrometheusText(try await gateway.send("GET", "/metrics", port: admin).body)
            #expect(metrics.value(#"portico_circuit_breaker_state{backend="probe",state="open"}"#) == 1)
            #expect(metrics.value(#"portico_circuit_breaker_state{backend="probe",state="closed"}"#) == 0)
            #expect(metrics.value(#"portico_circuit_breaker_transitions_total{backend="probe",to="open"}"#) == 1)
            #expect(metrics.value(#"portico_backend_shed_total{backend="probe",reason="open"}"#) == 1)
            #expect(metrics.value(#"portico_backend_shed_total{backend="probe",reason="too_many_requests"}"#) == 0)
            #expect(metrics.value(#"portico_backend_call_duration_seconds_count{backend="probe"}"#) == 3, "two failed attempts; the third was refused")
            #expect(metrics.value(#"portico_requests_total{route="/v1/fail/{code}",method="GET",status="503",grpc_code="UNAVAILABLE",api_version="v2"}"#) == 3)
            try PromTool.checkMetrics(metrics.text)
        }
        try await backendGroup.shutdownGracefully()
    }
}

/// Samples of the Prometheus text format, by their series (`name{labels}` exactly as written).
struct PrometheusText {
    let text: String
    private let values: [String: Double]

    init(_ text: String) {
        self.text = text
        var values: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            values[String(line[..<space])] = value
        }
        self.values = values
    }

    func value(_ series: String) -> Double? {
        values[series]
    }

    /// The `le` bound and value of each sample of `name` whose labels contain `labels`.
    func samples(named name: String, containing labels: String) -> [(bound: Double, value: Double)] {
        values.compactMap { series, value in
            guard series.hasPrefix(name + "{"), series.contains(labels), let le = series.range(of: #"le=""#) else { return nil }
            let bound = series[le.upperBound...].prefix { $0 != "\"" }
            return (bound == "+Inf" ? .infinity : Double(bound) ?? .nan, value)
        }
    }
}

/// Prometheus's own tool (`promtool`, Debian's `prometheus` package, installed by `make deps`).
enum PromTool {
    static func checkMetrics(_ text: String) throws {
        let result = try run(["check", "metrics"], input: text)
        #expect(result.status == 0, "promtool check metrics: \(result.output)")
    }

    /// Runs promtool with `arguments`; its status and its standard output and error together.
    static func run(_ arguments: [String], input: String = "") throws -> (status: Int32, output: String) {
        let path = try #require(
            ProcessRunner.executable(named: "promtool"), "promtool is not installed: run `make deps` (Debian's prometheus package)"
        )
        let result = try ProcessRunner.run(path, arguments, input: Data(input.utf8))
        return (result.status, String(decoding: result.standardOutput, as: UTF8.self) + result.standardError)
    }
}
