import Foundation
import NIOCore
import PorticoDemo
import PorticoServer
import PorticoTesting
import Testing

/// The public listener's HTTP/2 over real sockets: curl over h2c (prior knowledge) and over TLS (h2 by ALPN),
/// h2load, and a raw-frame Python client (`h2_frames_client.py`) that breaks the limits and plays the floods.
@Suite struct HTTP2ListenerTests {
    private static func mappings(_ limits: String = "", tls: Bool = false) throws -> URL {
        var base = """
            listen: 127.0.0.1:0
            access_log: off
            limits:
              max_body_bytes: 64KiB
            \(limits.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
            """
        if tls {
            base += """

                tls:
                  listen: 127.0.0.1:0
                  certificates:
                    - { cert: localhost.pem, key: localhost.key }
                """
        }
        let folder = try GatewayHarness.mappings(gatewayBase: base)
        if tls {
            let authority = try TLSCertificateMaker.authority(named: "Portico HTTP/2 test CA")
            _ = try authority.write(to: folder, name: "ca")
            _ = try TLSCertificateMaker.leaf(commonName: "localhost", dnsNames: ["localhost"], issuer: authority).write(to: folder, name: "localhost")
        }
        return folder
    }

    /// Runs the raw-frame client on `request` against the gateway's plain port.
    private static func frames(_ gateway: GatewayHarness, _ request: [String: Any]) async throws -> [String: Any] {
        try parse(try await PythonPeer.runScript("h2_frames_client.py", input: try input(gateway, request)))
    }

    private static func input(_ gateway: GatewayHarness, _ request: [String: Any]) throws -> Data {
        var input = request
        input["port"] = gateway.port
        return try JSONSerialization.data(withJSONObject: input)
    }

    private static func parse(_ output: Data) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: output) as? [String: Any])
    }

    /// curl's answer body, then a last line with the HTTP version and status it saw.
    private static func curl(_ arguments: [String]) async throws -> (body: String, version: String, status: Int) {
        let curl = try #require(ProcessRunner.executable(named: "curl"))
        let output = try await ProcessRunner.output(curl, ["-s", "-S", "--max-time", "20", "-w", "\n%{http_version} %{http_code}"] + arguments)
        let text = String(decoding: output, as: UTF8.self)
        let split = try #require(text.lastIndex(of: "\n"))
        let last = text[text.index(after: split)...].split(separator: " ")
        return (String(text[..<split]), String(last.first ?? ""), Int(last.last ?? "") ?? 0)
    }

    private static func abuse(_ gateway: GatewayHarness, _ kind: String) -> Double? {
        PrometheusText(gateway.server.metrics.exposition()).value("portico_http2_abuse_total{kind=\"\(kind)\"}")
    }

    @Test func curlSpeaksH2cWithPriorKnowledgeBesideHTTP1() async throws {
        try await GatewayHarness.withProbe(mappings: try Self.mappings()) { gateway in
            let base = "http://127.0.0.1:\(gateway.port)"
            let get = try await Self.curl(["--http2-prior-knowledge", "\(base)/v1/slow"])
            #expect(get.version == "2" && get.status == 200, "\(get)")
            #expect(get.body == "{}")
            let post = try await Self.curl([
                "--http2-prior-knowledge", "-H", "content-type: application/json", "-H", "x-probe-meta: kept",
                "--data", #"{"text":"over h2"}"#, "\(base)/v1/echo",
            ])
            #expect(post.version == "2" && post.status == 200, "\(post)")
            let head = try await Self.curl(["--http2-prior-knowledge", "-I", "\(base)/v1/slow"])
            #expect(head.status == 200 && head.body.contains("content-length: 2"), "\(head)")
            let missing = try await Self.curl(["--http2-prior-knowledge", "\(base)/v1/nowhere"])
            #expect(missing.status == 404 && missing.body.contains(#""code":5"#), "\(missing)")
            let http1 = try await Self.curl(["--http1.1", "\(base)/v1/slow"])
            #expect(http1.version == "1.1" && http1.status == 200, "the plain port still speaks HTTP/1.1")
        }
    }

    @Test func curlNegotiatesH2OverTLSAndHTTP1WhenAsked() async throws {
        let folder = try Self.mappings(tls: true)
        try await GatewayHarness.withProbe(mappings: folder) { gateway in
            let port = try #require(gateway.server.secureAddress?.port)
            let ca = folder.appendingPathComponent("ca.pem").path
            let url = "https://localhost:\(port)/v1/slow"
            let h2 = try await Self.curl(["--http2", "--cacert", ca, url])
            #expect(h2.version == "2" && h2.status == 200, "\(h2)")
            let http1 = try await Self.curl(["--http1.1", "--cacert", ca, url])
            #expect(http1.version == "1.1" && http1.status == 200, "\(http1)")
        }
    }

    @Test func h2loadCompletesEveryRequestOverH2cAndTLS() async throws {
        let h2load = try #require(ProcessRunner.executable(named: "h2load"), "h2load comes with Debian's nghttp2-client")
        try await GatewayHarness.withProbe(mappings: try Self.mappings(tls: true)) { gateway in
            let secure = try #require(gateway.server.secureAddress?.port)
            // /v1/sleep (the backend's 5 s deadline) rather than /v1/slow (a 200 ms route deadline): on a loaded
            // machine 40 streams at once could pass 200 ms, and the breaker would then shed the rest.
            for url in ["http://127.0.0.1:\(gateway.port)/v1/sleep", "https://127.0.0.1:\(secure)/v1/sleep"] {
                let output = String(decoding: try await ProcessRunner.output(h2load, ["-n", "400", "-c", "4", "-m", "10", url]), as: UTF8.self)
                #expect(output.contains("400 succeeded, 0 failed, 0 errored"), "\(url): \(output)")
                #expect(output.contains("status codes: 400 2xx"), "\(output)")
            }
        }
    }

    @Test func limitsAreAnsweredOnTheirStreamAndTheConnectionGoesOn() async throws {
        try await GatewayHarness.withProbe(mappings: try Self.mappings()) { gateway in
            let result = try await Self.frames(gateway, [
                "case": "requests",
                "requests": [
                    ["path": "/v1/slow", "headers": [["x-big", String(repeating: "a", count: 20_000)]]],
                    ["path": "/v1/echo", "method": "POST", "content_length": 100_000, "body": "{}", "open": true],
                    ["path": "/v1/echo", "method": "POST", "body": String(repeating: " ", count: 70_000), "open": true],
                    ["path": "/v1/slow"],
                ],
            ])
            let streams = try #require(result["streams"] as? [[String: Any]])
            #expect(streams.map { $0["status"] as? Int } == [431, 413, 413, 200], "\(streams)")
            #expect((streams[0]["body"] as? String)?.contains("request headers too large") == true)
            let settings = try #require(result["settings"] as? [String: Int])
            #expect(settings["3"] == 100, "SETTINGS_MAX_CONCURRENT_STREAMS")
            #expect(settings["6"] == 16_384, "SETTINGS_MAX_HEADER_LIST_SIZE is the head limit")
            #expect(result["goaway"] is NSNull)
        }
    }

    @Test func streamsPastTheConcurrencyLimitAreRefused() async throws {
        try await GatewayHarness.withProbe(mappings: try Self.mappings("http2_max_concurrent_streams: 5")) { gateway in
            let result = try await Self.frames(gateway, ["case": "too_many_streams", "streams": 8])
            let streams = try #require(result["streams"] as? [[String: Any]])
            #expect(streams.filter { $0["status"] as? Int == 200 }.count == 5, "\(streams)")
            #expect(streams.filter { $0["reset"] as? Int == 7 }.count == 3, "REFUSED_STREAM: \(streams)")
            #expect((result["settings"] as? [String: Int])?["3"] == 5)
        }
    }

    @Test func aBodyThatStopsComingIsAnswered408OnItsStream() async throws {
        try await GatewayHarness.withProbe(mappings: try Self.mappings("body_read_timeout: 300ms")) { gateway in
            let result = try await Self.frames(gateway, [
                "case": "requests", "requests": [["path": "/v1/echo", "method": "POST", "body": #"{"te"#, "open": true]],
            ])
            let streams = try #require(result["streams"] as? [[String: Any]])
            #expect(streams.first?["status"] as? Int == 408, "\(streams)")
            #expect(PrometheusText(gateway.server.metrics.exposition()).value(#"portico_requests_timed_out_total{phase="body"}"#) == 1)
        }
    }

    @Test func anIdleConnectionIsSentGoAwayAndClosed() async throws {
        try await GatewayHarness.withProbe(mappings: try Self.mappings("keep_alive_timeout: 300ms")) { gateway in
            let result = try await Self.frames(gateway, ["case": "idle"])
            #expect(result["goaway"] as? Int == 0, "NO_ERROR: \(result)")
            #expect(result["closed"] as? Bool == true)
        }
    }

    @Test func rapidResetIsAnsweredWithGoAwayAndOthersAreServed() async throws {
        try await GatewayHarness.withProbe(mappings: try Self.mappings()) { gateway in
            let result = try await Self.frames(gateway, ["case": "rapid_reset", "streams": 2_000])
            #expect(result["goaway"] as? Int == 11, "ENHANCE_YOUR_CALM: \(result)")
            #expect(result["closed"] as? Bool == true)
            #expect(Self.abuse(gateway, "rapid_reset") == 1)
            #expect(try await gateway.send("GET", "/v1/slow").status == 200)
        }
    }

    @Test func controlFrameFloodsAreAnsweredWithGoAway() async throws {
        try await GatewayHarness.withProbe(mappings: try Self.mappings()) { gateway in
            for flood in ["ping_flood", "settings_flood", "empty_data_flood"] {
                let result = try await Self.frames(gateway, ["case": flood, "frames": 3_000])
                #expect(result["goaway"] as? Int == 11, "\(flood): \(result)")
                #expect(result["closed"] as? Bool == true, "\(flood)")
            }
            #expect(Self.abuse(gateway, "control_frames") == 3)
            #expect(try await gateway.send("GET", "/v1/slow").status == 200)
        }
    }

    @Test func aContinuationFloodIsAnsweredWithGoAway() async throws {
        try await GatewayHarness.withProbe(mappings: try Self.mappings()) { gateway in
            let result = try await Self.frames(gateway, ["case": "continuation_flood", "frames": 500])
            #expect(result["goaway"] as? Int == 11, "\(result)")
            #expect(result["closed"] as? Bool == true)
            #expect(Self.abuse(gateway, "continuation_frames") == 1)
        }
    }

    @Test func aShutdownAnnouncesGoAwayAndFinishesTheStreamStillUploading() async throws {
        try await GatewayHarness.withProbe(mappings: try Self.mappings()) { gateway in
            let input = try Self.input(gateway, ["case": "upload_through_shutdown", "first": "/v1/slow", "path": "/v1/echo"])
            let client = Task { try await PythonPeer.runScript("h2_frames_client.py", input: input) }
            var waited = 0
            // The first request is answered before the upload starts; the upload may or may not have reached
            // the gateway when the shutdown begins, and must be answered either way.
            while !gateway.server.metrics.exposition().contains("portico_requests_total{"), waited < 10_000 {
                try await Task.sleep(for: .milliseconds(1))
                waited += 1
            }
            await gateway.server.shutdown(gracePeriod: .seconds(10))
            let result = try Self.parse(try await client.value)
            let goaways = try #require(result["goaways"] as? [[Int]])
            #expect(goaways == [[Int(Int32.max), 0], [3, 0]], "first the notice, then the last stream processed: \(result)")
            let stream = try #require(result["stream"] as? [String: Any])
            #expect(stream["status"] as? Int == 200, "the stream still uploading is answered: \(result)")
            #expect(result["closed"] as? Bool == true)
        }
    }

    @Test func aStreamResetInFlightCancelsItsBackendCall() async throws {
        let log = CapturedAccessLog()
        let mappings = try GatewayHarness.mappings(
            gatewayBase: "listen: 127.0.0.1:0\naccess_log: stdout\n",
            backend: "circuit_breaker: { consecutive_failures: 1 }",
            routes: "  - selector: probe.v1.ProbeService.Sleep\n    timeout: 600s"
        )
        try await GatewayHarness.withProbe(mappings: mappings, accessLog: log) { gateway in
            let admin = try #require(gateway.server.adminAddress?.port)
            let result = try await Self.frames(gateway, ["case": "reset_in_flight", "path": "/v1/sleep?millis=3600000", "next": "/v1/slow"])
            #expect((result["stream"] as? [String: Any])?["status"] as? Int == 200, "the connection goes on: \(result)")
            var lines = log.lines.makeAsyncIterator()
            var statuses: [String] = []
            for _ in 0..<2 {
                let line = try #require(await lines.next())
                statuses.append(line.contains(#""status":499"#) ? "499" : line.contains(#""status":200"#) ? "200" : line)
            }
            #expect(statuses.sorted() == ["200", "499"], "\(statuses)")
            let breakers = try await gateway.send("GET", "/admin/breakers", port: admin)
            #expect(breakers.body == #"[{"backend":"probe","state":"closed","in_flight":0}]"#, "the call ended and did not count")
        }
    }
}
