import Foundation
import PorticoCore
import Testing

/// Every class of error the gateway answers, each as `google.rpc.Status` JSON with the right HTTP status.
@Suite struct ErrorClassTests {
    static let codes: [(code: Int, http: Int)] = (1...16).map { ($0, StatusTable.httpStatus(for: GRPCStatusCode(rawValue: $0))) }

    @Test func eachBackendStatusMapsThroughTheStatusTable() async throws {
        try await GatewayHarness.withProbe { gateway in
            for (code, http) in Self.codes {
                let reply = try await gateway.send("GET", "/v1/fail/\(code)")
                #expect(reply.status == http, "grpc-status \(code)")
                #expect(try reply.object["code"] as? Int == code)
                let message = try reply.object["message"] as? String
                if [2, 13, 15].contains(code) {
                    let requestID = reply.header("x-request-id") ?? "?"
                    let what = code == 15 ? "lost data" : "failed"
                    #expect(message == "the backend \(what) while handling this request (request id \(requestID))", "withheld")
                } else {
                    #expect(message == "probe failure \(code)")
                }
            }
            #expect(try await gateway.send("GET", "/v1/fail/0").status == 200)
        }
    }

    @Test func routingAndBodyErrors() async throws {
        try await GatewayHarness.withProbe { gateway in

            let notFound = try await gateway.send("GET", "/v2/nothing")
            #expect(notFound.status == 404)
            #expect(try notFound.object["code"] as? Int == 5)

            let wrongMethod = try await gateway.send("DELETE", "/v1/echo")
            #expect(wrongMethod.status == 405)
            #expect(wrongMethod.header("allow") == "POST")

            let notJSON = try await gateway.send("POST", "/v1/echo", headers: ["Content-Type": "text/plain"], body: "hello")
            #expect(notJSON.status == 415)

            let tooLarge = try await gateway.send(
                "POST", "/v1/echo", headers: ["Content-Type": "application/json"],
                body: #"{"text":""# + String(repeating: "x", count: 70_000) + #""}"#
            )
            #expect(tooLarge.status == 413)

            let badPath = try await gateway.send("GET", "/v1/fail/seven")
            #expect(badPath.status == 400)
            #expect(try badPath.object["message"] as? String == #"code: expected an integer, got "seven""#)

            let unknownParameter = try await gateway.send("GET", "/v1/slow?milis=5")
            #expect(unknownParameter.status == 400)
            #expect(try unknownParameter.object["message"] as? String == #"unknown query parameter "milis": probe.v1.SlowRequest has no such field"#)

            let unknownField = try await gateway.send("POST", "/v1/echo", headers: ["Content-Type": "application/json"], body: #"{"txt":"a"}"#)
            #expect(unknownField.status == 400)
            #expect(try unknownField.object["message"] as? String == #"unknown field "txt""#)

            let malformed = try await gateway.send("POST", "/v1/echo", headers: ["Content-Type": "application/json"], body: #"{"text":"a""#)
            #expect(malformed.status == 400)
        }
    }

    @Test func aDeadlineBeyondTheRouteTimeoutIs504() async throws {
        try await GatewayHarness.withProbe { gateway in
            let reply = try await gateway.send("GET", "/v1/slow?millis=30000")
            #expect(reply.status == 504)
            #expect(try reply.object["code"] as? Int == 4)
        }
    }

    @Test func aBackendThatIsDownIs503() async throws {
        try await GatewayHarness.withProbe(backendAddress: "127.0.0.1:1") { gateway in
            let reply = try await gateway.send("GET", "/v1/fail/0")
            #expect(reply.status == 503)
            #expect(try reply.object["code"] as? Int == 14)
            #expect(try reply.object["message"] as? String == "upstream unavailable")
        }
    }
}

/// A client may shorten a route's timeout with `grpc-timeout` or `X-Request-Timeout`, never lengthen it.
@Suite struct ClientDeadlineTests {
    @Test func theClientsTimeoutShortensTheRoutes() async throws {
        try await GatewayHarness.withProbe { gateway in
            let viaHeader = try await gateway.send("GET", "/v1/sleep?millis=30000", headers: ["X-Request-Timeout": "100ms"])
            #expect(viaHeader.status == 504)
            let viaGRPC = try await gateway.send("GET", "/v1/sleep?millis=30000", headers: ["grpc-timeout": "100m"])
            #expect(viaGRPC.status == 504)
            let capped = try await gateway.send("GET", "/v1/slow?millis=30000", headers: ["X-Request-Timeout": "1h"])
            #expect(capped.status == 504)
            #expect(try await gateway.send("GET", "/v1/sleep?millis=1", headers: ["X-Request-Timeout": "10s"]).status == 200)
        }
    }

    @Test func aMalformedTimeoutIs400() async throws {
        try await GatewayHarness.withProbe { gateway in
            let reply = try await gateway.send("GET", "/v1/sleep", headers: ["grpc-timeout": "soon"])
            #expect(reply.status == 400)
            #expect(try reply.object["message"] as? String == "grpc-timeout must be up to eight digits and a unit H, M, S, m, u or n, such as 250m")
            #expect(try await gateway.send("GET", "/v1/sleep", headers: ["X-Request-Timeout": "5"]).status == 400)
        }
    }
}
