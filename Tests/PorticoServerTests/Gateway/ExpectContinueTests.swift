import Foundation
import PorticoTesting
import Testing

/// `Expect: 100-continue` over a real socket: the body is asked for only when the route, version and
/// credentials let the request through; otherwise the final answer comes at once.
@Suite struct ExpectContinueTests {
    @Test func theBodyIsAskedForOnlyWhenTheHeadPasses() async throws {
        try await GatewayHarness.withDemo { gateway in
            let output = try await PythonPeer.runScript(
                "expect_continue_client.py", [String(gateway.port), "/v1/users", "/v1/orders", #"{"displayName":"Kay","email":"kay@example.com"}"#]
            )
            let result = try #require(try JSONSerialization.jsonObject(with: output) as? [String: [String: String]])
            #expect(result["admitted"]?["first"] == "HTTP/1.1 100 Continue")
            #expect(result["admitted"]?["final"] == "HTTP/1.1 200 OK")
            #expect(result["refused"]?["first"] == "HTTP/1.1 401 Unauthorized", "no body asked for a request that cannot pass")
            #expect(result["refused"]?["first_headers"]?.contains("www-authenticate: bearer") == true)
            #expect(result["refused"]?["final"] == nil)
            #expect(result["unknown"]?["first"] == "HTTP/1.1 404 Not Found")
            #expect(result["unsupported"]?["first"] == "HTTP/1.1 417 Expectation Failed")
        }
    }
}
