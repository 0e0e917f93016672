import Foundation
import NIOCore
import NIOHTTP1
import PorticoConfig
@testable import PorticoServer
import PorticoTesting
import Testing

/// The `stream:` route settings, the format an `Accept` chooses, and the checks on streaming routes.
@Suite struct StreamSettingsTests {
    @Test func routesReadTheirStreamSettingsAndKeepTheDefaultsOtherwise() throws {
        let backend = """
            backend:
              name: s
              address: 127.0.0.1:1
            routes:
              - selector: a.S.Watch
                stream: { idle_timeout: 30s, max_duration: 1h, max_messages: 1000, max_bytes: 4MiB, heartbeat: off }
              - selector: a.S.Other
                stream: { max_duration: off }
            """
        let configuration = try MappingsLoader(environment: [:]).load(sources: [("gateway.yaml", ""), ("s.yaml", backend)])
        let options = try #require(configuration.backends.first?.routeOptions)
        #expect(options[0].stream == StreamSettings(
            idleTimeout: .seconds(30), maxDuration: .seconds(3600), maxMessages: 1000, maxBytes: 4 << 20, heartbeat: nil
        ))
        #expect(options[1].stream == StreamSettings())
        #expect(StreamSettings().idleTimeout == .seconds(300))
        #expect(StreamSettings().heartbeat == .seconds(15))
    }

    @Test func unknownStreamKeysAndBadValuesAreReported() {
        let backend = """
            backend:
              name: s
              address: 127.0.0.1:1
            routes:
              - selector: a.S.Watch
                stream: { idle: 30s, max_messages: 0, heartbeat: soon }
            """
        let error = #expect(throws: ConfigError.self) {
            try MappingsLoader(environment: [:]).load(sources: [("gateway.yaml", ""), ("s.yaml", backend)])
        }
        let text = error.map { "\($0)" } ?? ""
        #expect(text.contains("idle"))
        #expect(text.contains("max_messages must be at least 1"))
        #expect(text.contains("soon"))
    }

    @Test(arguments: [
        (nil, StreamFormat.jsonArray),
        ("*/*", .jsonArray),
        ("text/html", .jsonArray),
        ("application/x-ndjson", .ndjson),
        ("text/event-stream", .serverSentEvents),
        ("application/json, text/event-stream", .jsonArray),
        ("application/json;q=0.5, text/event-stream", .serverSentEvents),
        ("Application/X-NDJSON; q=0.9, application/json; q=0.8", .ndjson),
        ("text/event-stream;q=0, application/x-ndjson;q=0.1", .ndjson),
    ] as [(String?, StreamFormat)])
    func acceptChoosesTheFormat(accept: String?, format: StreamFormat) {
        #expect(StreamFormat.negotiate(accept: accept) == format)
    }

    @Test func eachFormatFramesItsMessagesAndItsFailure() {
        let message = ByteBuffer(string: #"{"a":1}"#)
        let status = ByteBuffer(string: #"{"code":5,"message":"gone"}"#)
        #expect(String(buffer: StreamFormat.jsonArray.element(message, index: 0)) == #"[{"a":1}"#)
        #expect(String(buffer: StreamFormat.jsonArray.element(message, index: 1)) == #",{"a":1}"#)
        #expect(StreamFormat.jsonArray.failure(status) == nil)
        #expect(String(buffer: StreamFormat.ndjson.element(message, index: 3)) == "{\"a\":1}\n")
        #expect(String(buffer: StreamFormat.ndjson.failure(status)!) == "{\"error\":{\"code\":5,\"message\":\"gone\"}}\n")
        #expect(String(buffer: StreamFormat.serverSentEvents.element(message, index: 0)) == "data: {\"a\":1}\n\n")
        #expect(String(buffer: StreamFormat.serverSentEvents.failure(status)!) == "event: error\ndata: {\"code\":5,\"message\":\"gone\"}\n\n")
        #expect(StreamFormat.raw.failure(status) == nil)
    }

    @Test func onlyAPrintableShortLastEventIDIsPassedOn() {
        #expect(StreamFormat.lastEventID(in: ["last-event-id": "42"]) == "42")
        #expect(StreamFormat.lastEventID(in: ["last-event-id": "caf\u{e9}"]) == nil)
        #expect(StreamFormat.lastEventID(in: ["last-event-id": String(repeating: "9", count: 257)]) == nil)
        #expect(StreamFormat.lastEventID(in: [:]) == nil)
    }

    @Test func aServerStreamCannotBeCached() throws {
        let folder = try Scratch.path("stream-cache")
        try FileManager.default.copyItem(at: Fixtures.mappingsDirectory, to: folder)
        defer { try? FileManager.default.removeItem(at: folder) }
        let orders = folder.appendingPathComponent("orders.yaml")
        try (String(contentsOf: orders, encoding: .utf8) + "  - selector: demo.orders.v1.OrderService.WatchOrder\n    cache: { ttl: 5s }\n")
            .write(to: orders, atomically: true, encoding: .utf8)
        let error = try #require(throws: GatewayCompileError.self) {
            try GatewayCompiler(protosDirectory: Fixtures.protosDirectory, mappingsDirectory: folder).compile()
        }
        #expect(error.problems.contains { $0.contains("WatchOrder: cache cannot hold a streaming method's answer") })
    }
}
