import Foundation
import NIOCore
import NIOPosix
import OTel
import PorticoConfig
import PorticoServer
import PorticoTesting
import ServiceLifecycle
import Testing
import Tracing

/// Tracing end to end: a grpcio backend behind the gateway reports the `traceparent` it received, and an
/// OTLP receiver (grpcio with opentelemetry-proto) gets the spans the gateway exports.
@Suite struct TracingEndToEndTests {
    static let callerTraceID = "4bf92f3577b34da6a3ce929d0e0e4736"
    static let callerSpanID = "00f067aa0ba902b7"
    static let callerTraceParent = "00-\(callerTraceID)-\(callerSpanID)-01"

    @Test func serverAndClientSpansReachTheCollectorAndTheBackendSeesTheTrace() async throws {
        let spansFile = try Scratch.path("spans.jsonl")
        defer { try? FileManager.default.removeItem(at: spansFile) }
        let receiver = try await PythonServer.start("otlp_receiver.py", [spansFile.path])
        defer { receiver.stop() }
        var configuration = OTel.Configuration.default
        configuration.serviceName = "portico"
        configuration.logs.enabled = false
        configuration.metrics.enabled = false
        configuration.traces.sampler = .parentBasedAlwaysOn
        configuration.traces.otlpExporter.protocol = .grpc
        configuration.traces.otlpExporter.endpoint = "http://127.0.0.1:\(receiver.port)"
        configuration.traces.batchSpanProcessor.scheduleDelay = .milliseconds(50)
        let backend = try OTel.makeTracingBackend(configuration: configuration)
        let exporter = Task { try await backend.service.run() }
        defer { exporter.cancel() }

        let log = CapturedAccessLog()
        try await Self.withEchoGateway(tracer: backend.factory, accessLog: log) { gateway in
            let reply = try await gateway.send(
                "POST", "/v1/echo", headers: ["traceparent": Self.callerTraceParent, "content-type": "application/json"], body: #"{"text":"hi"}"#
            )
            #expect(reply.status == 200)
            let seen = try #require(try reply.object["traceparent"] as? String)
            let backendParent = seen.split(separator: "-").map(String.init)
            #expect(backendParent.count == 4 && backendParent[1] == Self.callerTraceID, "the backend's call continues the caller's trace")
            #expect(backendParent[2] != Self.callerSpanID, "the backend's parent is the gateway's client span")

            let spans = try await Self.spans(in: spansFile, atLeast: 2)
            let server = try #require(spans.first { $0["kind"] as? Int == 2 })
            let client = try #require(spans.first { $0["kind"] as? Int == 3 })
            #expect(server["trace_id"] as? String == Self.callerTraceID)
            #expect(server["parent_span_id"] as? String == Self.callerSpanID)
            #expect(server["name"] as? String == "POST /v1/echo")
            #expect(server["service_name"] as? String == "portico")
            let serverAttributes = try #require(server["attributes"] as? [String: Any])
            #expect(serverAttributes["http.request.method"] as? String == "POST")
            #expect(serverAttributes["http.route"] as? String == "/v1/echo")
            #expect(serverAttributes["url.path"] as? String == "/v1/echo")
            #expect(serverAttributes["http.response.status_code"] as? Int == 200)
            let events = server["events"] as? [String] ?? []
            #expect(events.contains("portico.route_match") && events.contains("portico.rate_limit") && events.contains("portico.request_transcoding"))

            #expect(client["trace_id"] as? String == Self.callerTraceID)
            #expect(client["parent_span_id"] as? String == server["span_id"] as? String, "the client span is the server span's child")
            #expect(client["span_id"] as? String == backendParent[2], "the backend's traceparent names the client span")
            #expect(client["name"] as? String == "probe.v1.ProbeService/Echo")
            let clientAttributes = try #require(client["attributes"] as? [String: Any])
            #expect(clientAttributes["rpc.system"] as? String == "grpc")
            #expect(clientAttributes["rpc.service"] as? String == "probe.v1.ProbeService")
            #expect(clientAttributes["rpc.method"] as? String == "Echo")
            #expect(clientAttributes["rpc.grpc.status_code"] as? Int == 0)

            let line = try #require(await log.lines.first { _ in true })
            let record = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(record["trace_id"] as? String == Self.callerTraceID)
            #expect(record["span_id"] as? String == server["span_id"] as? String)

            let unsampledTrace = "0af7651916cd43dd8448eb211c80319c"
            let unsampled = try await gateway.send("POST", "/v1/echo", headers: ["traceparent": "00-\(unsampledTrace)-b7ad6b7169203331-00"], body: "{}")
            let passed = try #require(try unsampled.object["traceparent"] as? String).split(separator: "-").map(String.init)
            #expect(passed.count == 4 && passed[1] == unsampledTrace && passed[3] == "00", "the caller's decision not to sample is passed on")
        }
    }

    @Test func withoutExportACallersTraceparentIsPassedOnAndLogged() async throws {
        let log = CapturedAccessLog()
        try await Self.withEchoGateway(tracer: nil, accessLog: log) { gateway in
            let traced = try await gateway.send(
                "POST", "/v1/echo", headers: ["traceparent": Self.callerTraceParent, "tracestate": "vendor=1"], body: "{}"
            )
            #expect(try traced.object["traceparent"] as? String == Self.callerTraceParent)
            #expect(try traced.object["tracestate"] as? String == "vendor=1")
            let malformed = try await gateway.send("POST", "/v1/echo", headers: ["traceparent": "00-\(Self.callerTraceID)-0000000000000000-01"], body: "{}")
            #expect(try malformed.object["traceparent"] == nil, "an invalid traceparent (zero parent id) is not passed on")

            var lines = log.lines.makeAsyncIterator()
            let firstLine = try #require(await lines.next())
            let first = try #require(try JSONSerialization.jsonObject(with: Data(firstLine.utf8)) as? [String: Any])
            #expect(first["trace_id"] as? String == Self.callerTraceID)
            #expect(first["span_id"] == nil, "no span of the gateway's own without export")
            let secondLine = try #require(await lines.next())
            let second = try #require(try JSONSerialization.jsonObject(with: Data(secondLine.utf8)) as? [String: Any])
            #expect(second["trace_id"] == nil)
        }
    }

    /// A gateway on the probe fixture in front of the grpcio echo backend.
    private static func withEchoGateway(
        tracer: (any Tracer)?, accessLog: CapturedAccessLog, _ body: (GatewayHarness) async throws -> Void
    ) async throws {
        let echo = try await PythonServer.start("probe_echo_server.py")
        defer { echo.stop() }
        let mappings = try GatewayHarness.mappings(gatewayBase: "listen: 127.0.0.1:0\naccess_log: stdout\n")
        try await GatewayHarness.withProbe(backendAddress: "127.0.0.1:\(echo.port)", mappings: mappings, accessLog: accessLog, tracer: tracer, body)
    }

    /// The spans in the receiver's file once it holds `count`; the exporter sends them in batches, so the
    /// file is read again until then (at most 20 s).
    private static func spans(in file: URL, atLeast count: Int) async throws -> [[String: Any]] {
        for _ in 0..<400 {
            let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
            let spans = text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            if spans.count >= count { return spans }
            try await Task.sleep(for: .milliseconds(50))
        }
        return []
    }
}
