import Foundation
import PorticoTesting
import Testing

/// Client-streaming and bidirectional bodies over the public HTTP/2 listener, sent by `h2_upload_client.py`
/// (the `h2` package) within the gateway's flow-control windows: each chunk of a streamed body goes back to
/// the windows only as the backend takes it, so a listener that failed to give them back would stall the
/// client.
@Suite(.serialized) struct ClientStreamingHTTP2Tests {
    /// One request's answer as `h2_upload_client.py` saw it.
    struct Answer {
        let status: Int?
        let data: String
        let ended: Bool
        let reset: Int?
    }

    /// Sends `requests` one after the other on one HTTP/2 connection.
    static func send(_ requests: [[String: Any]], port: Int) async throws -> [Answer] {
        let input = try JSONSerialization.data(withJSONObject: ["port": port, "requests": requests] as [String: Any])
        let output = try await PythonPeer.runScript("h2_upload_client.py", input: input)
        let result = try #require(try JSONSerialization.jsonObject(with: output) as? [String: Any])
        #expect(result["timeout"] as? Bool == false, "the client was never left waiting on a window or an answer")
        let answers = try #require(result["results"] as? [[String: Any]])
        return answers.map {
            Answer(status: $0["status"] as? Int, data: $0["data"] as? String ?? "", ended: $0["ended"] as? Bool ?? false, reset: $0["reset"] as? Int)
        }
    }

    @Test func uploadsLargerThanTheConnectionWindowAllGoThrough() async throws {
        try await StreamingTests.withGateway { gateway in
            let padding = String(repeating: " ", count: 880)
            let body = String(repeating: "{\"value\":1\(padding)}\n", count: 1_000)
            let upload: [String: Any] = [
                "path": "/v1/collect/h2", "headers": [["content-type", "application/x-ndjson"]],
                "pieces": stride(from: 0, to: body.count, by: 100_000).map { String(body.dropFirst($0).prefix(100_000)) },
            ]
            let answers = try await Self.send(Array(repeating: upload, count: 5), port: gateway.port)
            #expect(answers.count == 5, "5 bodies of \(body.utf8.count) bytes: more than the connection's window")
            for answer in answers {
                #expect(answer.status == 200)
                #expect(answer.data == #"{"count":"1000","sum":"1000","tags":["h2"]}"#)
            }
            let whole: [String: Any] = ["path": "/v1/collect/h2", "headers": [["content-type", "text/plain"]], "pieces": [body]]
            let refused = try await Self.send(Array(repeating: whole, count: 5), port: gateway.port)
            #expect(refused.map(\.status) == Array(repeating: 415, count: 5), "whole bodies give the window back too")
        }
    }

    @Test func aBidirectionalCallAnswersEachMessageBeforeTheNextIsSent() async throws {
        try await StreamingTests.withGateway { gateway in
            let lines: [String: Any] = [
                "path": "/v1/double", "headers": [["content-type", "application/x-ndjson"], ["accept", "application/x-ndjson"]],
                "pieces": ["{\"value\":1}\n", "{\"value\":21}\n"], "duplex": true,
            ]
            let array: [String: Any] = [
                "path": "/v1/double", "headers": [["content-type", "application/json"], ["accept", "application/x-ndjson"]],
                "pieces": [#"[{"value":2}"#, #", {"value":3}]"#], "duplex": true,
            ]
            let answers = try await Self.send([lines, array], port: gateway.port)
            #expect(answers.map(\.status) == [200, 200])
            #expect(answers.first?.data == "{\"value\":\"2\"}\n{\"value\":\"42\"}\n")
            #expect(answers.last?.data == "{\"value\":\"4\"}\n{\"value\":\"6\"}\n")
            #expect(answers.map(\.ended) == [true, true])
        }
    }

    @Test func aBadLineIsAnsweredBeforeTheBodyEndsAndTheCallIsCancelled() async throws {
        try await StreamingTests.withGateway { gateway in
            let bad: [String: Any] = [
                "path": "/v1/collect/h2", "headers": [["content-type", "application/x-ndjson"]],
                "pieces": ["{\"value\":1}\n{\"value\":\"x\"}\n"], "end": false,
            ]
            let good: [String: Any] = ["path": "/v1/collect/h2", "headers": [["content-type", "application/x-ndjson"]], "pieces": ["{\"value\":7}\n"]]
            let answers = try await Self.send([bad, good], port: gateway.port)
            #expect(answers.first?.status == 400)
            #expect(answers.first?.data.contains("line 2: value: expected an integer") == true)
            #expect(answers.last?.data == #"{"count":"1","sum":"7","tags":["h2"]}"#, "the connection serves the next stream")
            #expect(try await gateway.waitForStats { $0.active == 0 }.active == 0)
        }
    }
}
