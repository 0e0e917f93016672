import Foundation
import PorticoTesting
import Testing

/// gzip at the public listener, seen by Python's `http.client` over a real socket: answers compressed for
/// clients that accept it, request bodies inflated under the body limit.
@Suite struct ContentCodingTests {
    @Test func answersAreGzippedForClientsThatAcceptItAndBodiesAreInflated() async throws {
        try await GatewayHarness.withDemo { gateway in
            let output = try await PythonPeer.runScript("gzip_client.py", [String(gateway.port), "/v1/dashboard/u1", "/v1/users", #"{"displayName":"Zed","email":"zed@example.com"}"#])
            let result = try #require(try JSONSerialization.jsonObject(with: output) as? [String: [String: Any]])

            let compressed = try #require(result["gzip"])
            let headers = try #require(compressed["headers"] as? [String: String])
            #expect(compressed["status"] as? Int == 200)
            #expect(headers["content-encoding"] == "gzip")
            #expect(headers["vary"]?.lowercased().contains("accept-encoding") == true)
            let plain = try #require(result["identity"])
            let plainHeaders = try #require(plain["headers"] as? [String: String])
            #expect(plainHeaders["content-encoding"] == nil)
            #expect(plainHeaders["vary"]?.lowercased().contains("accept-encoding") == true, "a shared cache must keep the forms apart")
            let body = try #require(compressed["body"] as? String)
            #expect(body == plain["body"] as? String, "the same JSON either way")
            #expect(try #require(compressed["compressed"] as? Int) < body.utf8.count / 2)
            #expect(headers["content-length"] == String(try #require(compressed["compressed"] as? Int)))

            #expect(result["gzip_body"]?["status"] as? Int == 200, "\(result["gzip_body"] ?? [:])")
            #expect((result["gzip_body"]?["body"] as? String)?.contains(#""displayName":"Zed""#) == true)
            #expect(result["zip_bomb"]?["status"] as? Int == 413)
            #expect(result["not_gzip"]?["status"] as? Int == 400)
            #expect(result["not_gzip"]?["body"] as? String == #"{"code":3,"message":"the request body is not valid gzip"}"#)
            #expect(result["brotli"]?["status"] as? Int == 415)
            #expect(result["brotli"]?["accept_encoding"] as? String == "gzip")
        }
    }
}
