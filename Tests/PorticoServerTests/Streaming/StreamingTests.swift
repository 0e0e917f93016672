import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import PorticoConfig
import PorticoServer
import PorticoTesting
import Testing

/// Server streams relayed as they flow, against a grpcio streaming backend (`stream_server.py`), over real
/// sockets: each format's first message reaching the client while the backend holds the rest (a gated
/// stream, released by a call through the gateway: no timing), mid-stream errors, a stream longer than the
/// unary timeout, a client that leaves, a slow reader, and the stream limits.
@Suite(.serialized) struct StreamingTests {
    /// The running gateway, as a test reaches it.
    struct Gateway {
        let port: Int
        let group: any EventLoopGroup

        /// Sends one request through the gateway and reads its whole answer.
        func send(
            _ method: String, _ target: String, headers: [String: String] = [:], body: String? = nil, contentType: String = "application/json"
        ) async throws -> HTTPReply {
            var head = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
            for (name, value) in headers { head += "\(name): \(value)\r\n" }
            if let body { head += "Content-Type: \(contentType)\r\nContent-Length: \(body.utf8.count)\r\n" }
            return try HTTPReply(raw: try await RawHTTPClient.exchange(port: port, request: head + "\r\n" + (body ?? ""), group: group))
        }

        /// Lets each gated stream send one more tick.
        func release() async throws {
            #expect(try await send("POST", "/v1/release", body: "{}").status == 200)
        }

        /// The backend's counters: ticks sent, calls cancelled by their client, calls running.
        func stats() async throws -> (sent: Int, cancelled: Int, active: Int) {
            let object = try await send("GET", "/v1/stats").object
            return (
                Int(object["sent"] as? String ?? "0") ?? 0, object["cancelled"] as? Int ?? 0, object["active"] as? Int ?? 0
            )
        }

        /// The items Collect has read so far, polled until `count` (at most about 20 s).
        func waitForItems(_ count: Int) async throws -> Int {
            var items = 0
            for _ in 0..<200 {
                items = Int(try await send("GET", "/v1/stats").object["items"] as? String ?? "0") ?? 0
                if items >= count { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            return items
        }

        /// Polls the backend's counters until `done` holds (at most about 20 s); returns the last ones.
        func waitForStats(_ done: ((sent: Int, cancelled: Int, active: Int)) -> Bool) async throws -> (sent: Int, cancelled: Int, active: Int) {
            var last = try await stats()
            for _ in 0..<200 where !done(last) {
                try await Task.sleep(for: .milliseconds(100))
                last = try await stats()
            }
            return last
        }

        /// A streamed answer read whole (its chunks decoded), with its status.
        func fetch(_ target: String, accept: String? = nil) async throws -> (status: Int, body: String) {
            var answer = (status: 0, body: "")
            try await stream(target, accept: accept) { (reader: StreamReader) async throws in
                answer.status = Int(try await reader.readHead().status.code)
                answer.body = try await reader.readRest()
            }
            return answer
        }

        func stream(
            _ target: String, accept: String? = nil, headers: [(String, String)] = [], _ body: (StreamReader) async throws -> Void
        ) async throws {
            try await StreamingHTTPClient.get(port: port, target, headers: (accept.map { [("accept", $0)] } ?? []) + headers, group: group, body)
        }
    }

    /// Runs `body` against a gateway in front of a fresh `stream_server.py`; `stream` is the Ticks route's
    /// `stream:` block. The backend's unary timeout is 1 s, so a stream that outlives it shows; Collect, whose
    /// grpcio handler reads thousands of messages, has 30 s.
    static func withGateway(
        stream: String = "idle_timeout: 20s\nheartbeat: 200ms", routes: String = "", gateway: String = "", _ body: (Gateway) async throws -> Void
    ) async throws {
        let backend = try await PythonServer.start("stream_server.py")
        defer { backend.stop() }
        let folder = try Scratch.folder("streaming")
        defer { try? FileManager.default.removeItem(at: folder) }
        let base = try String(contentsOf: Fixtures.url("streaming/mappings/gateway.yaml"), encoding: .utf8)
        try (base + gateway + "\n").write(to: folder.appendingPathComponent("gateway.yaml"), atomically: true, encoding: .utf8)
        let mapping = """
            backend:
              name: stream
              address: ${STREAM_ADDR}
              timeout: 1s
              services: [stream.v1.StreamService]
            routes:
              - selector: stream.v1.StreamService.Collect
                timeout: 30s
            \(routes.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
              - selector: stream.v1.StreamService.Ticks
                stream:
            \(stream.split(separator: "\n").map { "      " + $0 }.joined(separator: "\n"))

            """
        try mapping.write(to: folder.appendingPathComponent("stream.yaml"), atomically: true, encoding: .utf8)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let snapshot = try GatewayCompiler(
            protosDirectory: Fixtures.url("streaming/protos"), mappingsDirectory: folder, environment: ["STREAM_ADDR": "127.0.0.1:\(backend.port)"]
        ).compile()
        let server = try await GatewayServer.start(snapshot: snapshot, group: group, accessLog: nil, listen: HostPort(host: "127.0.0.1", port: 0))
        do {
            try await body(Gateway(port: server.localAddress?.port ?? 0, group: group))
        } catch {
            await server.shutdown(gracePeriod: .seconds(1))
            try await group.shutdownGracefully()
            throw error
        }
        await server.shutdown(gracePeriod: .seconds(1))
        try await group.shutdownGracefully()
    }

    @Test func ndjsonLinesReachTheClientWhileTheBackendHoldsTheRest() async throws {
        try await Self.withGateway { gateway in
            try await gateway.stream("/v1/ticks?count=3&gated=true", accept: "application/x-ndjson") { (reader: StreamReader) async throws in
                let head = try await reader.readHead()
                #expect(head.status == .ok)
                #expect(head.headers["content-type"] == ["application/x-ndjson"])
                #expect(head.headers["transfer-encoding"] == ["chunked"])
                #expect(try await reader.readLine() == #"{"seq":1}"#)
                try await gateway.release()
                #expect(try await reader.readLine() == #"{"seq":2}"#)
                try await gateway.release()
                #expect(try await reader.readLine() == #"{"seq":3}"#)
                #expect(try await reader.readRest() == "")
                #expect(reader.isComplete)
            }
        }
    }

    @Test func serverSentEventsCarryEachMessageAHeartbeatAndTheLastEventID() async throws {
        try await Self.withGateway { gateway in
            try await gateway.stream("/v1/ticks?count=2&gated=true", accept: "text/event-stream", headers: [("last-event-id", "41")]) { (reader: StreamReader) async throws in
                let head = try await reader.readHead()
                #expect(head.headers["content-type"] == ["text/event-stream"])
                #expect(head.headers["cache-control"] == ["no-cache"])
                #expect(try await reader.read(until: "\n\n") == #"data: {"seq":1,"lastEventId":"41"}"#)
                #expect(try await reader.read(until: "\n\n") == ": heartbeat")
                try await gateway.release()
                var next = try await reader.read(until: "\n\n")
                while next == ": heartbeat" { next = try await reader.read(until: "\n\n") }
                #expect(next == #"data: {"seq":2,"lastEventId":"41"}"#)
            }
        }
    }

    @Test func theDefaultArrayIsWrittenElementByElement() async throws {
        try await Self.withGateway { gateway in
            try await gateway.stream("/v1/ticks?count=2&gated=true") { (reader: StreamReader) async throws in
                let head = try await reader.readHead()
                #expect(head.headers["content-type"] == ["application/json"])
                #expect(try await reader.read(until: "}") == #"[{"seq":1"#)
                try await gateway.release()
                let rest = try await reader.readRest()
                #expect(rest == #",{"seq":2}]"#)
            }
            let whole = try await gateway.fetch("/v1/ticks?count=3")
            let array = try JSONSerialization.jsonObject(with: Data(whole.body.utf8)) as? [[String: Int]]
            #expect(array == [["seq": 1], ["seq": 2], ["seq": 3]])
            let empty = try await gateway.fetch("/v1/ticks?count=0")
            #expect(empty.status == 200)
            #expect(empty.body == "[]")
        }
    }

    @Test func aFailureAfterTheFirstByteEndsEachFormatInItsOwnWay() async throws {
        try await Self.withGateway { gateway in
            let failing = "/v1/ticks?count=5&failCode=5&failAfter=2"
            try await gateway.stream(failing, accept: "application/x-ndjson") { (reader: StreamReader) async throws in
                #expect(try await reader.readLine() == #"{"seq":1}"#)
                #expect(try await reader.readLine() == #"{"seq":2}"#)
                let last = try #require(try await reader.readLine())
                let error = try #require(try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: [String: Any]])
                #expect(error["error"]?["code"] as? Int == 5)
                #expect(error["error"]?["message"] as? String == "tick failure")
                #expect(try await reader.readRest() == "")
                #expect(reader.isComplete)
            }
            try await gateway.stream(failing, accept: "text/event-stream") { (reader: StreamReader) async throws in
                var events: [String] = []
                while let event = try await reader.read(until: "\n\n") {
                    if event != ": heartbeat" { events.append(event) }
                }
                #expect(events.count == 3)
                #expect(events.last?.hasPrefix("event: error\ndata: {\"code\":5,") == true)
            }
            try await gateway.stream(failing) { (reader: StreamReader) async throws in
                #expect(try await reader.read(until: "}") == #"[{"seq":1"#)
                await #expect(throws: (any Error).self) { _ = try await reader.readRest() }
                #expect(!reader.isComplete)
            }
            let before = try await gateway.send("GET", "/v1/ticks?count=5&failCode=5&failAfter=0", headers: ["accept": "application/x-ndjson"])
            #expect(before.status == 404)
            #expect(try before.object["message"] as? String == "tick failure")
        }
    }

    @Test func aStreamOutlivesTheUnaryTimeout() async throws {
        try await Self.withGateway { gateway in
            let reply = try await gateway.fetch("/v1/ticks?count=4&intervalMillis=500", accept: "application/x-ndjson")
            #expect(reply.status == 200)
            #expect(reply.body.split(separator: "\n").count == 4)
        }
    }

    @Test func aClientThatLeavesCancelsTheBackendStream() async throws {
        try await Self.withGateway { gateway in
            try await gateway.stream("/v1/ticks?count=3&gated=true", accept: "application/x-ndjson") { (reader: StreamReader) async throws in
                #expect(try await reader.readLine() == #"{"seq":1}"#)
            }
            let stats = try await gateway.waitForStats { $0.cancelled == 1 && $0.active == 0 }
            #expect(stats.cancelled == 1)
            #expect(stats.active == 0)
        }
    }

    @Test func aSlowReaderPausesTheBackendAndStillGetsEveryMessage() async throws {
        try await Self.withGateway { gateway in
            let total = 100_000
            try await gateway.stream("/v1/ticks?count=\(total)&payloadBytes=1000", accept: "application/x-ndjson") { (reader: StreamReader) async throws in
                #expect(try await reader.readLine()?.hasPrefix(#"{"seq":1,"#) == true)
                var previous = -1
                let paused = try await gateway.waitForStats { stats in
                    defer { previous = stats.sent }
                    return stats.sent == previous
                }
                #expect(paused.sent < total / 2, "the backend sent \(paused.sent) ticks to a client that read one")
                var count = 1
                var last = ""
                while let line = try await reader.readLine() {
                    count += 1
                    last = line
                }
                #expect(count == total)
                #expect(last.hasPrefix(#"{"seq":\#(total),"#))
            }
        }
    }

    @Test func theMessageLimitAndTheIdleTimeoutEndTheStream() async throws {
        try await Self.withGateway(stream: "max_messages: 2\nidle_timeout: 300ms") { gateway in
            let limited = try await gateway.fetch("/v1/ticks?count=5", accept: "application/x-ndjson")
            let lines = limited.body.split(separator: "\n")
            #expect(lines.count == 3)
            #expect(lines.last?.contains(#""code":8"#) == true)
            try await gateway.stream("/v1/ticks?count=2&gated=true", accept: "application/x-ndjson") { (reader: StreamReader) async throws in
                #expect(try await reader.readLine() == #"{"seq":1}"#)
                #expect(try await reader.readLine()?.contains(#""code":4"#) == true)
            }
            let stats = try await gateway.waitForStats { $0.active == 0 }
            #expect(stats.active == 0)
        }
    }

    /// Follows one streamed answer over HTTP/2 with `h2_stream_client.py`.
    private static func h2Stream(_ gateway: Gateway, _ path: String, accept: String, then: String) async throws -> [String: Any] {
        let input = try JSONSerialization.data(withJSONObject: [
            "port": gateway.port, "path": path, "headers": [["accept", accept]], "then": then,
        ] as [String: Any])
        let output = try await PythonPeer.runScript("h2_stream_client.py", input: input)
        return try #require(try JSONSerialization.jsonObject(with: output) as? [String: Any])
    }

    @Test func overHTTP2MessagesFlowAsDataFramesAndAResetCancelsTheBackend() async throws {
        try await Self.withGateway { gateway in
            let released = try await Self.h2Stream(gateway, "/v1/ticks?count=2&gated=true", accept: "application/x-ndjson", then: "release")
            #expect(released["timeout"] as? Bool == false)
            #expect(released["status"] as? Int == 200)
            #expect(released["content_type"] as? String == "application/x-ndjson")
            #expect((released["data"] as? [String])?.joined() == "{\"seq\":1}\n{\"seq\":2}\n")
            #expect(released["ended"] as? Bool == true)

            let cut = try await Self.h2Stream(gateway, "/v1/ticks?count=5&failCode=5&failAfter=2", accept: "application/json", then: "read")
            #expect((cut["data"] as? [String])?.joined().hasPrefix("[{\"seq\":1}") == true)
            #expect(cut["reset"] as? Int == 2, "an array cut off by a failure ends with RST_STREAM INTERNAL_ERROR")
            #expect(cut["ended"] as? Bool == false)

            let reset = try await Self.h2Stream(gateway, "/v1/ticks?count=3&gated=true", accept: "text/event-stream", then: "reset")
            #expect((reset["data"] as? [String])?.first?.hasPrefix("data: {\"seq\":1}") == true)
            let stats = try await gateway.waitForStats { $0.cancelled == 1 && $0.active == 0 }
            #expect(stats.cancelled == 1)
        }
    }

    @Test func aHeadOfAStreamAnswersTheHeadAGetWouldHaveWithoutABody() async throws {
        try await Self.withGateway { gateway in
            let request = "HEAD /v1/ticks?count=2 HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/x-ndjson\r\n\r\n"
                + "GET /v1/stats HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
            let raw = try await RawHTTPClient.exchange(port: gateway.port, request: request, group: gateway.group)
            let answers = raw.components(separatedBy: "HTTP/1.1 ")
            #expect(answers.count == 3, "two answers on the connection: \(raw)")
            let head = answers.count > 1 ? answers[1].lowercased() : ""
            #expect(head.hasPrefix("200 ok\r\n"))
            #expect(head.contains("content-type: application/x-ndjson\r\n"))
            #expect(head.contains("transfer-encoding: chunked\r\n"))
            #expect(!head.contains("content-length"))
            #expect(head.hasSuffix("\r\n\r\n"), "no body, not even a last chunk, before the next answer")
        }
    }
}
