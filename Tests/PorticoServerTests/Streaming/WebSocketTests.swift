import Foundation
import PorticoTesting
import Testing

/// Streaming methods over WebSocket (RFC 6455) with a real client (Python `websockets`) against grpcio
/// (`stream_server.py`): one JSON message per text frame each way, the gRPC status as the Close code,
/// the stages at the upgrade, and the limits.
@Suite(.serialized) struct WebSocketTests {
    /// Plays `steps` with `ws_client.py` on `path`.
    private static func converse(
        _ gateway: StreamingTests.Gateway, _ path: String, headers: [String: String] = [:], _ steps: [[String: Any]]
    ) async throws -> [String: Any] {
        let input = try JSONSerialization.data(withJSONObject: [
            "url": "ws://127.0.0.1:\(gateway.port)\(path)", "headers": headers, "steps": steps,
        ] as [String: Any])
        let output = try await PythonPeer.runScript("ws_client.py", input: input)
        return try #require(try JSONSerialization.jsonObject(with: output) as? [String: Any])
    }

    @Test func aBidirectionalCallAnswersEachFrameWhileTheSocketIsOpen() async throws {
        try await StreamingTests.withGateway { gateway in
            let result = try await Self.converse(gateway, "/v1/double", [
                ["send": #"{"value":1}"#], ["expect": 1], ["ping": true], ["send": #"{"value":20}"#], ["expect": 1], ["send": ""],
            ])
            #expect(result["received"] as? [String] == [#"{"value":"2"}"#, #"{"value":"40"}"#])
            #expect(result["pongs"] as? Int == 1)
            #expect(result["close_code"] as? Int == 1000)
            #expect(result["timeout"] as? Bool == false)
        }
    }

    @Test func clientAndServerStreamsRunOverAWebSocketToo() async throws {
        try await StreamingTests.withGateway { gateway in
            let collected = try await Self.converse(gateway, "/v1/collect/ws", [
                ["send": #"{"value":1}"#], ["send": #"{"value":2}"#], ["send": ""],
            ])
            #expect(collected["received"] as? [String] == [#"{"count":"2","sum":"3","tags":["ws"]}"#])
            #expect(collected["close_code"] as? Int == 1000)
            let ticks = try await Self.converse(gateway, "/v1/ticks?count=3", [])
            #expect(ticks["received"] as? [String] == [#"{"seq":1}"#, #"{"seq":2}"#, #"{"seq":3}"#])
            #expect(ticks["close_code"] as? Int == 1000)
        }
    }

    @Test func theStatusIsTheCloseCodeAndReason() async throws {
        try await StreamingTests.withGateway { gateway in
            let failed = try await Self.converse(gateway, "/v1/ticks?count=3&failCode=5&failAfter=1", [])
            #expect(failed["received"] as? [String] == [#"{"seq":1}"#])
            #expect(failed["close_code"] as? Int == 4005)
            #expect(failed["close_reason"] as? String == "tick failure")
            let bad = try await Self.converse(gateway, "/v1/double", [["send": #"{"value":"x"}"#]])
            #expect(bad["close_code"] as? Int == 4003)
            #expect(bad["close_reason"] as? String == #"message 1: value: expected an integer, got "x""#)
            let binary = try await Self.converse(gateway, "/v1/double", [["binary": #"{"value":1}"#]])
            #expect(binary["close_code"] as? Int == 1003)
            let toServerStream = try await Self.converse(gateway, "/v1/ticks?count=2&gated=true", [["expect": 1], ["send": "{}"]])
            #expect(toServerStream["close_code"] as? Int == 4003)
        }
    }

    @Test func theUpgradeIsRefusedLikeARequest() async throws {
        try await StreamingTests.withGateway { gateway in
            let unary = try await Self.converse(gateway, "/v1/stats", [])
            #expect(unary["status"] as? Int == 400)
            #expect((unary["body"] as? String)?.contains("a WebSocket needs a streaming method") == true)
            let unknown = try await Self.converse(gateway, "/v1/nothing", [])
            #expect(unknown["status"] as? Int == 404)
            let badVersion = try await Self.converse(gateway, "/v1/double", headers: ["x-api-version": "v9"], [])
            #expect(badVersion["status"] as? Int == 400)
        }
    }

    @Test func oversizedFramesAndMessagesAreRefusedWithTheirCloseCodes() async throws {
        try await StreamingTests.withGateway(
            routes: "- selector: stream.v1.StreamService.Double\n  max_body_bytes: 64", gateway: "limits:\n  max_body_bytes: 4KiB"
        ) { gateway in
            let padding = String(repeating: "x", count: 100)
            let overRoute = try await Self.converse(gateway, "/v1/double", [["send": #"{"value":1,"tag":"\#(padding)"}"#]])
            #expect(overRoute["close_code"] as? Int == 4008)
            let overFrame = try await Self.converse(gateway, "/v1/double", [["send": String(repeating: " ", count: 8192) + "{}"]])
            #expect(overFrame["close_code"] as? Int == 1009)
        }
    }

    @Test func aClientThatClosesCancelsTheBackendCall() async throws {
        try await StreamingTests.withGateway { gateway in
            let closed = try await Self.converse(gateway, "/v1/ticks?count=3&gated=true", [["expect": 1], ["close": true]])
            #expect(closed["received"] as? [String] == [#"{"seq":1}"#])
            let stats = try await gateway.waitForStats { $0.cancelled == 1 && $0.active == 0 }
            #expect(stats.cancelled == 1)
        }
    }
}
