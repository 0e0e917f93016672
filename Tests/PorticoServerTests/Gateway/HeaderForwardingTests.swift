import Testing

/// Only allow-listed headers cross the gateway, both ways; the request id always does.
@Suite struct HeaderForwardingTests {
    @Test func requestHeadersAndResponseMetadataFollowTheAllowLists() async throws {
        try await GatewayHarness.withProbe { gateway in
            let reply = try await gateway.send(
                "POST", "/v1/echo",
                headers: [
                    "Content-Type": "application/json", "Accept-Language": "de-CH", "Authorization": "Bearer secret",
                    "X-Request-Id": "trace-42", "Cookie": "session=1",
                ],
                body: #"{"text":"hi"}"#
            )
            #expect(reply.status == 200)
            let received = try reply.object
            #expect(received["accept-language"] as? String == "de-CH")
            #expect(received["x-request-id"] as? String == "trace-42")
            #expect(received["authorization"] == nil)
            #expect(received["cookie"] == nil)
            #expect(reply.header("x-request-id") == "trace-42")
            #expect(reply.header("x-probe") == "yes")
            #expect(reply.header("x-secret") == nil)
        }
    }
}
