import Foundation
import PorticoTesting
import Testing

/// A backend that breaks gRPC and HTTP/2 on purpose (`faulty_grpc_server.py`, raw frames): every broken answer
/// becomes one client-safe error with the right status, the backend sees a non-idempotent call exactly once,
/// and the gateway goes on serving.
@Suite struct BackendFaultTests {
    /// What the client gets for each fault of a `POST /v1/echo`, and how many calls the backend may see.
    static let faults: [(fault: String, status: Int, calls: ClosedRange<Int>)] = [
        ("none", 200, 1...1),
        ("oversized", 502, 1...1),
        ("bad-compression", 502, 1...1),
        ("truncated", 502, 1...1),
        ("no-trailers", 502, 1...1),
        ("trailers-twice", 502, 1...1),
        ("stall", 504, 1...1),
        ("stall-after-message", 504, 1...1),
        ("reset", 502, 1...1),
        // GOAWAY naming no stream processed: by the server's own word the call was not processed, so it may be
        // sent again: up to 4 times on new connections (the pool's transparent retries) for each of the 3
        // attempts of the backend's retry policy.
        ("goaway", 503, 1...12),
        ("garbage", 503, 1...1),
    ]

    @Test(arguments: faults)
    func aBrokenAnswerBecomesOneCleanError(fault: String, status: Int, calls: ClosedRange<Int>) async throws {
        let counts = try Scratch.path("faults.json")
        defer { try? FileManager.default.removeItem(at: counts) }
        let backend = try await PythonServer.start("faulty_grpc_server.py", [counts.path])
        defer { backend.stop() }
        let mappings = try GatewayHarness.mappings(
            gatewayBase: "listen: 127.0.0.1:0\naccess_log: off\nheaders:\n  request: [x-fault]",
            // One second: the stalls end in 504 once it passes, and the GOAWAY case's twelve refused attempts
            // with their backoff fit inside it even on a loaded machine.
            routes: "  - selector: probe.v1.ProbeService.Echo\n    timeout: 1s"
        )
        try await GatewayHarness.withProbe(backendAddress: "127.0.0.1:\(backend.port)", mappings: mappings) { gateway in
            let reply = try await gateway.send("POST", "/v1/echo", headers: ["content-type": "application/json", "x-fault": fault], body: "{}")
            #expect(reply.status == status, "\(fault): \(reply.status) \(reply.body)")
            if status != 200 {
                let error = try #require(try JSONSerialization.jsonObject(with: Data(reply.body.utf8)) as? [String: Any], "\(reply.body)")
                #expect(error["code"] is Int && error["message"] is String, "a google.rpc.Status: \(reply.body)")
            }
            let seen = try JSONSerialization.jsonObject(with: Data(contentsOf: counts)) as? [String: Int]
            let callCount = seen?["\(fault) /probe.v1.ProbeService/Echo"] ?? 0
            #expect(calls.contains(callCount), "\(fault): the backend saw \(callCount) calls")
            let after = try await gateway.send("POST", "/v1/echo", headers: ["content-type": "application/json", "x-fault": "none"], body: "{}")
            #expect(after.status == 200, "the gateway goes on after \(fault): \(after.status) \(after.body)")
        }
    }

    @Test func aBackendThatAcceptsAndNeverAnswersTimesOut() async throws {
        let counts = try Scratch.path("faults.json")
        defer { try? FileManager.default.removeItem(at: counts) }
        let backend = try await PythonServer.start("faulty_grpc_server.py", [counts.path, "--silent"])
        defer { backend.stop() }
        let mappings = try GatewayHarness.mappings(
            gatewayBase: "listen: 127.0.0.1:0\naccess_log: off", routes: "  - selector: probe.v1.ProbeService.Echo\n    timeout: 300ms"
        )
        try await GatewayHarness.withProbe(backendAddress: "127.0.0.1:\(backend.port)", mappings: mappings) { gateway in
            for _ in 0..<3 {
                let reply = try await gateway.send("POST", "/v1/echo", headers: ["content-type": "application/json"], body: "{}")
                #expect(reply.status == 504, "\(reply.status) \(reply.body)")
            }
            #expect(try await gateway.send("GET", "/v1/nowhere").status == 404, "the gateway itself goes on answering")
        }
    }
}
