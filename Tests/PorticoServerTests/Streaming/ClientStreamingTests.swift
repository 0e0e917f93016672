import Foundation
import NIOHTTP1
import PorticoTesting
import Testing

/// Client-streaming and bidirectional methods over HTTP against grpcio (`stream_server.py`): the request
/// body's NDJSON lines or JSON array elements go to the backend as the client's messages, each with the
/// path variables set, and a bidirectional method's answers stream back like a server stream's.
@Suite(.serialized) struct ClientStreamingTests {
    @Test func tenThousandNDJSONLinesReachTheBackendAsMessages() async throws {
        try await StreamingTests.withGateway { gateway in
            let lines = (1...10_000).map { #"{"value":\#($0)}"# }.joined(separator: "\n") + "\n"
            let reply = try await gateway.send("POST", "/v1/collect/batch-7", body: lines, contentType: "application/x-ndjson")
            #expect(reply.status == 200)
            let summary = try reply.object
            #expect(summary["count"] as? String == "10000")
            #expect(summary["sum"] as? String == "50005000")
            #expect(summary["tags"] as? [String] == ["batch-7"], "the path variable is set in every message")
        }
    }

    @Test func aJSONArrayIsAStreamOfItsElements() async throws {
        try await StreamingTests.withGateway { gateway in
            let array = try await gateway.send("POST", "/v1/collect/a", body: #"[{"value":2}, {"value":"40"} ,{}]"#)
            #expect(try array.object["count"] as? String == "3")
            #expect(try array.object["sum"] as? String == "42")
            let empty = try await gateway.send("POST", "/v1/collect/a", body: "[]")
            #expect(empty.status == 200)
            #expect(try empty.object["count"] == nil, "no messages: the count is proto3's default, not written")
            let one = try await gateway.send("POST", "/v1/collect/a", body: #"{"value":5}"#)
            #expect(try one.object["sum"] as? String == "5")
        }
    }

    @Test func aBadPieceIsAnsweredWithItsPositionAndNothingIsSent() async throws {
        try await StreamingTests.withGateway { gateway in
            let badLine = try await gateway.send(
                "POST", "/v1/collect/a", body: "{\"value\":1}\n\n{\"value\":\"x\"}\n", contentType: "application/x-ndjson"
            )
            #expect(badLine.status == 400)
            #expect(try badLine.object["message"] as? String == #"line 3: value: expected an integer, got "x""#)
            let badElement = try await gateway.send("POST", "/v1/collect/a", body: #"[{"value":1},,{"value":2}]"#)
            #expect(try badElement.object["message"] as? String == "[1]: expected a JSON value")
            let unfinished = try await gateway.send("POST", "/v1/collect/a", body: #"[{"value":1}"#)
            #expect(try unfinished.object["message"] as? String == "the request body is not a complete JSON array")
            let trailing = try await gateway.send("POST", "/v1/collect/a", body: #"[{"value":1}] x"#)
            #expect(try trailing.object["message"] as? String == "unexpected text after the JSON array of messages")
            let tagged = try await gateway.send("POST", "/v1/collect/a", body: #"[{"tag":"b"}]"#)
            #expect(tagged.status == 400, "the path binds tag in every message")
            let stats = try await gateway.stats()
            #expect(stats.active == 0)
        }
    }

    @Test func aBidirectionalMethodAnswersEachMessageAsAStream() async throws {
        try await StreamingTests.withGateway { gateway in
            let ndjson = try await gateway.send(
                "POST", "/v1/double", headers: ["accept": "application/x-ndjson"], body: "{\"value\":1}\n{\"value\":2}\n{\"value\":3}\n",
                contentType: "application/x-ndjson"
            )
            #expect(ndjson.status == 200)
            #expect(ndjson.header("content-type") == "application/x-ndjson")
            #expect(ndjson.body == "{\"value\":\"2\"}\n{\"value\":\"4\"}\n{\"value\":\"6\"}\n")
            let events = try await gateway.send("POST", "/v1/double", headers: ["accept": "text/event-stream"], body: #"[{"value":21}]"#)
            #expect(events.body == "data: {\"value\":\"42\"}\n\n")
        }
    }

    @Test func anNDJSONUploadReachesTheBackendWhileTheClientStillSends() async throws {
        try await StreamingTests.withGateway { gateway in
            try await StreamingHTTPClient.post(
                port: gateway.port, "/v1/collect/live", headers: [("content-type", "application/x-ndjson")], group: gateway.group
            ) { (writer: StreamingHTTPClient.BodyWriter, reader: StreamReader) async throws in
                try await writer.write("{\"value\":1}\n{\"value\":")
                #expect(try await gateway.waitForItems(1) == 1, "the first line reached the backend before the body ended")
                try await writer.write("2}\n")
                try await writer.end()
                #expect(try await reader.readHead().status == .ok)
                #expect(try await reader.readRest() == #"{"count":"2","sum":"3","tags":["live"]}"#)
            }
        }
    }

    @Test func aBidirectionalNDJSONCallAnswersEachLineBeforeTheNextIsSent() async throws {
        try await StreamingTests.withGateway { gateway in
            try await StreamingHTTPClient.post(
                port: gateway.port, "/v1/double",
                headers: [("content-type", "application/x-ndjson"), ("accept", "application/x-ndjson")], group: gateway.group
            ) { (writer: StreamingHTTPClient.BodyWriter, reader: StreamReader) async throws in
                try await writer.write("{\"value\":1}\n")
                #expect(try await reader.readHead().status == .ok)
                #expect(try await reader.readLine() == #"{"value":"2"}"#)
                try await writer.write("{\"value\":21}\n")
                #expect(try await reader.readLine() == #"{"value":"42"}"#)
                try await writer.end()
                #expect(try await reader.readRest() == "")
                #expect(reader.isComplete)
            }
        }
    }

    @Test func aBadLineInALiveUploadIsAnsweredAtOnceAndCancelsTheCall() async throws {
        try await StreamingTests.withGateway { gateway in
            try await StreamingHTTPClient.post(
                port: gateway.port, "/v1/collect/live", headers: [("content-type", "application/x-ndjson")], group: gateway.group
            ) { (writer: StreamingHTTPClient.BodyWriter, reader: StreamReader) async throws in
                try await writer.write("{\"value\":1}\n{\"value\":\"x\"}\n")
                #expect(try await reader.readHead().status == .badRequest)
                #expect(try await reader.readRest().contains(#"line 2: value: expected an integer"#))
            }
            let stats = try await gateway.waitForStats { $0.cancelled >= 0 && $0.active == 0 }
            #expect(stats.active == 0)
        }
    }

    @Test func aJSONArrayUploadReachesTheBackendElementByElement() async throws {
        try await StreamingTests.withGateway { gateway in
            try await StreamingHTTPClient.post(
                port: gateway.port, "/v1/collect/live", headers: [("content-type", "application/json")], group: gateway.group
            ) { (writer: StreamingHTTPClient.BodyWriter, reader: StreamReader) async throws in
                try await writer.write(#"[ {"value":1} , {"val"#)
                #expect(try await gateway.waitForItems(1) == 1, "the first element reached the backend before the array ended")
                try await writer.write(#"ue":2} ]"#)
                try await writer.end()
                #expect(try await reader.readHead().status == .ok)
                #expect(try await reader.readRest() == #"{"count":"2","sum":"3","tags":["live"]}"#)
            }
        }
    }

    @Test func aBidirectionalJSONArrayCallAnswersEachElementBeforeTheNextIsSent() async throws {
        try await StreamingTests.withGateway { gateway in
            try await StreamingHTTPClient.post(
                port: gateway.port, "/v1/double",
                headers: [("content-type", "application/json"), ("accept", "application/x-ndjson")], group: gateway.group
            ) { (writer: StreamingHTTPClient.BodyWriter, reader: StreamReader) async throws in
                try await writer.write(#"[{"value":1}"#)
                #expect(try await reader.readHead().status == .ok)
                #expect(try await reader.readLine() == #"{"value":"2"}"#)
                try await writer.write(#",{"value":21}]"#)
                #expect(try await reader.readLine() == #"{"value":"42"}"#)
                try await writer.end()
                #expect(try await reader.readRest() == "")
            }
        }
    }

    @Test func aLiveArrayWithTextAfterItsEndIsRefusedAndTheCallCancelled() async throws {
        try await StreamingTests.withGateway { gateway in
            try await StreamingHTTPClient.post(
                port: gateway.port, "/v1/collect/live", headers: [("content-type", "application/json")], group: gateway.group
            ) { (writer: StreamingHTTPClient.BodyWriter, reader: StreamReader) async throws in
                try await writer.write(#"[{"value":1}] {"#)
                #expect(try await reader.readHead().status == .badRequest)
                #expect(try await reader.readRest().contains("unexpected text after the JSON array of messages"))
            }
            #expect(try await gateway.waitForStats { $0.active == 0 }.active == 0)
        }
    }

    @Test func anUploadThatStopsSendingEndsAfterTheStreamIdleTimeout() async throws {
        try await StreamingTests.withGateway(routes: "  stream:\n    idle_timeout: 300ms") { gateway in
            try await StreamingHTTPClient.post(
                port: gateway.port, "/v1/collect/live", headers: [("content-type", "application/x-ndjson")], group: gateway.group
            ) { (writer: StreamingHTTPClient.BodyWriter, reader: StreamReader) async throws in
                try await writer.write("{\"value\":1}\n")
                #expect(try await reader.readHead().status == .requestTimeout)
                #expect(try await reader.readRest().contains("no part of the request body arrived for 0.3 seconds"))
            }
            #expect(try await gateway.waitForStats { $0.active == 0 }.active == 0)
        }
    }
}
