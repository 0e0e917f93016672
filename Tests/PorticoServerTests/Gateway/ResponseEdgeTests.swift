import Foundation
import PorticoServer
import Testing

/// What the gateway answers at the edges of the response side: HEAD, raw `google.api.HttpBody` bodies, the
/// backend's internal errors, and the JSON options of the mappings.
@Suite struct ResponseEdgeTests {
    @Test func headOnAGetRouteAnswersItsStatusAndHeadersWithoutTheBody() async throws {
        try await GatewayHarness.withProbe { gateway in
            let get = try await gateway.send("GET", "/v1/files/a.txt")
            let head = try await gateway.send("HEAD", "/v1/files/a.txt")
            #expect(head.status == 200)
            #expect(head.body.isEmpty)
            #expect(head.header("content-length") == get.header("content-length"))
            #expect(head.header("content-type") == "text/plain")
            let refused = try await gateway.send("PUT", "/v1/fail/0")
            #expect(refused.status == 405)
            #expect(refused.header("allow") == "GET, HEAD")
        }
    }

    @Test func httpBodyResponsesAreTheRawBytesWithTheirContentType() async throws {
        try await GatewayHarness.withProbe { gateway in
            let file = try await gateway.send("GET", "/v1/files/a.txt")
            #expect(file.status == 200)
            #expect(file.header("content-type") == "text/plain")
            #expect(file.body == "contents of a.txt")
            let chunks = try await gateway.send("GET", "/v1/files/b.txt:chunks")
            #expect(chunks.status == 200)
            #expect(chunks.header("content-type") == "text/plain")
            #expect(chunks.body == "contents of b.txt")
        }
    }

    @Test func httpBodyRequestsCarryTheRawBodyAndItsContentType() async throws {
        try await GatewayHarness.withProbe { gateway in
            let raw = try await gateway.send("POST", "/v1/raw", headers: ["Content-Type": "image/svg+xml"], body: "<svg/>")
            #expect(raw.status == 200)
            #expect(raw.header("content-type") == "image/svg+xml")
            #expect(raw.body == "<svg/>")
            let upload = try await gateway.send("POST", "/v1/files/notes.csv", headers: ["Content-Type": "text/csv"], body: "a,b\n1,2")
            #expect(upload.status == 200, "\(upload.body)")
            #expect(try upload.object["name"] as? String == "notes.csv")
            #expect(try upload.object["contentType"] as? String == "text/csv")
            #expect(try upload.object["text"] as? String == "a,b\n1,2")
        }
    }

    @Test func internalBackendErrorsAreHiddenFromClients() async throws {
        try await GatewayHarness.withProbe { gateway in
            for code in [2, 13, 15] {
                let reply = try await gateway.send("GET", "/v1/fail/\(code)")
                let requestID = try #require(reply.header("x-request-id"))
                let message = try #require(try reply.object["message"] as? String)
                #expect(!message.contains("probe failure"), "\(message)")
                #expect(message.contains(requestID))
                #expect(!reply.body.contains("hunter2"))
                #expect(!reply.body.contains("DebugInfo"))
                let details = try reply.object["details"] as? [[String: Any]]
                #expect(details?.map { $0["@type"] as? String } == ["type.googleapis.com/google.rpc.ErrorInfo"])
            }
            let notFound = try await gateway.send("GET", "/v1/fail/5")
            #expect(try notFound.object["message"] as? String == "probe failure 5", "other codes keep the backend's message")
            #expect(!notFound.body.contains("hunter2"), "DebugInfo is dropped whatever the code")
        }
    }

    @Test func aBackendMayExposeItsInternalErrors() async throws {
        let mappings = try GatewayHarness.mappings(backend: "expose_errors: true")
        try await GatewayHarness.withProbe(mappings: mappings) { gateway in
            let reply = try await gateway.send("GET", "/v1/fail/13")
            #expect(try reply.object["message"] as? String == "probe failure 13")
            let details = try reply.object["details"] as? [[String: Any]]
            #expect(details?.count == 2)
            #expect(reply.body.contains("hunter2"))
        }
    }

    @Test func jsonOptionsFromTheMappings() async throws {
        let backendOnly = try GatewayHarness.mappings(backend: "json: { use_proto_names: true, emit_unpopulated: true }")
        try await GatewayHarness.withProbe(mappings: backendOnly) { gateway in
            let upload = try await gateway.send("POST", "/v1/files/x", headers: ["Content-Type": "text/plain"], body: "")
            #expect(upload.body == #"{"name":"x","content_type":"text/plain","text":""}"#)
        }
        let routeOverride = try GatewayHarness.mappings(
            backend: "json: { use_proto_names: true, emit_unpopulated: true }",
            routes: "  - selector: probe.v1.ProbeService.Upload\n    json: { use_proto_names: false }"
        )
        try await GatewayHarness.withProbe(mappings: routeOverride) { gateway in
            let upload = try await gateway.send("POST", "/v1/files/x", headers: ["Content-Type": "text/plain"], body: "")
            #expect(upload.body == #"{"name":"x","contentType":"text/plain","text":""}"#)
        }
    }
}
