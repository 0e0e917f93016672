import Foundation
import PorticoServer
import PorticoTesting
import Testing

/// Composite routes over real sockets: the demo's dashboard in front of the demo backends, and composites of
/// the probe backend's methods for failures, deadlines and typed bindings.
@Suite struct CompositeRouteTests {
    /// The probe's mappings with a composite file: `mix` reads a required fast part, an optional slow part
    /// cut by a 300 ms deadline, an optional part failing with the code in the path, and a part that reads
    /// the failing part's answer; `strict` fails as its required part does.
    private static func probeMappings() throws -> URL {
        let folder = try GatewayHarness.mappings()
        let composites = """
            composites:
              mix:
                get: /v1/mix/{code}
                deadline: 300ms
                parts:
                  fast:
                    call: probe.v1.ProbeService.Slow
                    bind: { millis: query.fast_ms }
                  slow:
                    call: probe.v1.ProbeService.Sleep
                    bind: { millis: query.slow_ms }
                    required: false
                  failing:
                    call: probe.v1.ProbeService.Fail
                    bind: { code: path.code }
                    required: false
                  after:
                    call: probe.v1.ProbeService.Sleep
                    bind: { millis: failing.code }
                    required: false
              strict:
                get: /v1/strict/{code}
                parts:
                  failing:
                    call: probe.v1.ProbeService.Fail
                    bind: { code: path.code }
                  slow:
                    call: probe.v1.ProbeService.Sleep
                    set: { millis: 3000 }
                    required: false
              late:
                get: /v1/late
                deadline: 200ms
                parts:
                  sleeper:
                    call: probe.v1.ProbeService.Sleep
                    set: { millis: 3000 }
            """
        try composites.write(to: folder.appendingPathComponent("composites.yaml"), atomically: true, encoding: .utf8)
        return folder
    }

    @Test func theDashboardAnswersTheUserTheirOrdersAndSuggestions() async throws {
        try await GatewayHarness.withDemo { gateway in
            let reply = try await gateway.send("GET", "/v1/dashboard/u1?category=CATEGORY_BOOKS")
            #expect(reply.status == 200, "\(reply.body)")
            let object = try reply.object
            let user = try #require(object["user"] as? [String: Any])
            #expect(user["userId"] as? String == "u1")
            let orders = try #require(object["orders"] as? [[String: Any]], "the orders part answers response_field orders")
            #expect(orders.map { $0["orderId"] as? String } == ["o1"], "the orders of u1, asked with the user part's user_id")
            #expect(orders.first?["orderItems"] != nil)
            let suggestions = try #require(object["suggestions"] as? [[String: Any]])
            #expect(!suggestions.isEmpty && suggestions.count <= 3)
            #expect(suggestions.allSatisfy { $0["category"] as? String == "CATEGORY_BOOKS" })
            #expect(object["errors"] == nil)
        }
    }

    @Test func partsReadTheCallersClaims() async throws {
        let python = try #require(ProcessRunner.executable(named: "python3"))
        let script = Fixtures.repositoryRoot.appendingPathComponent("scripts/demo-token.py").path
        let minted = try await ProcessRunner.run(python, [script, "--sub", "u2"])
        let token = String(decoding: minted.standardOutput, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        try await GatewayHarness.withDemo { gateway in
            #expect(try await gateway.send("GET", "/v1/me/dashboard").status == 401)
            let reply = try await gateway.send("GET", "/v1/me/dashboard", headers: ["Authorization": "Bearer \(token)"])
            #expect(reply.status == 200, "\(reply.body)")
            #expect((try reply.object["user"] as? [String: Any])?["displayName"] as? String == "Alan Turing")
            #expect((try reply.object["orders"] as? [[String: Any]])?.map { $0["orderId"] as? String } == ["o2"])
        }
    }

    @Test func partsAreWrittenInTheSelectedVersionsNames() async throws {
        try await GatewayHarness.withDemo { gateway in
            let reply = try await gateway.send("GET", "/v1/dashboard/u1", headers: ["x-api-version": "v1"])
            #expect(reply.status == 200)
            #expect(reply.header("deprecation") != nil)
            let orders = try #require(try reply.object["orders"] as? [[String: Any]])
            let order = try #require(orders.first)
            #expect(order["orderItems"] == nil)
            #expect(order["user_name"] as? String == "Ada Lovelace")
            let item = try #require((order["items"] as? [[String: Any]])?.first)
            #expect(item["qty"] as? Int == 1)
            #expect(item["product_id"] as? String == "p1")
        }
    }

    @Test func aFailedRequiredPartFailsTheRouteWithItsStatus() async throws {
        try await GatewayHarness.withDemo { gateway in
            let reply = try await gateway.send("GET", "/v1/dashboard/nobody")
            #expect(reply.status == 404)
            #expect(try reply.object["code"] as? Int == 5)
            #expect(try reply.object["message"] as? String == #"user "nobody" not found"#)
        }
    }

    @Test func badClientValuesAreAnswered400BeforeAnyCall() async throws {
        try await GatewayHarness.withDemo { gateway in
            let unknown = try await gateway.send("GET", "/v1/dashboard/u1?color=red")
            #expect(unknown.status == 400)
            #expect(try unknown.object["message"] as? String == #"unknown query parameter "color" (this route reads: category)"#)
            let badEnum = try await gateway.send("GET", "/v1/dashboard/u1?category=FRUIT")
            #expect(badEnum.status == 400)
            #expect((try badEnum.object["message"] as? String)?.contains("category") == true)
        }
    }

    @Test func optionalPartsThatFailOrAreLateAnswerNullWithTheirStatus() async throws {
        try await GatewayHarness.withProbe(mappings: try Self.probeMappings()) { gateway in
            let reply = try await gateway.send("GET", "/v1/mix/7?fast_ms=1&slow_ms=3000")
            #expect(reply.status == 200, "\(reply.body)")
            let object = try reply.object
            #expect(object["fast"] as? [String: Any] != nil)
            #expect(object["slow"] is NSNull)
            #expect(object["failing"] is NSNull)
            #expect(object["after"] is NSNull)
            let errors = try #require(object["errors"] as? [[String: Any]])
            let byPart = Dictionary(uniqueKeysWithValues: errors.map { ($0["part"] as? String ?? "", $0["status"] as? [String: Any] ?? [:]) })
            #expect(byPart["slow"]?["code"] as? Int == 4, "cut by the route's 300 ms deadline")
            #expect(byPart["failing"]?["code"] as? Int == 7)
            #expect(byPart["failing"]?["message"] as? String == "probe failure 7")
            let details = try #require(byPart["failing"]?["details"] as? [[String: Any]])
            #expect(details.map { $0["@type"] as? String } == ["type.googleapis.com/google.rpc.ErrorInfo"], "DebugInfo never reaches clients")
            #expect(byPart["after"]?["code"] as? Int == 9, "not called: it reads the failed part's answer")
        }
    }

    @Test func aPartReadsAnEarlierAnswerAndRunsAfterIt() async throws {
        try await GatewayHarness.withProbe(mappings: try Self.probeMappings()) { gateway in
            let reply = try await gateway.send("GET", "/v1/mix/0?fast_ms=1&slow_ms=1")
            #expect(reply.status == 200, "\(reply.body)")
            let object = try reply.object
            for part in ["fast", "slow", "failing", "after"] { #expect(object[part] as? [String: Any] != nil, "\(part)") }
            #expect(object["errors"] == nil)
        }
    }

    @Test func aRequiredPartFailureFailsTheWholeAndHidesInternals() async throws {
        try await GatewayHarness.withProbe(mappings: try Self.probeMappings()) { gateway in
            let denied = try await gateway.send("GET", "/v1/strict/7")
            #expect(denied.status == 403)
            #expect(try denied.object["code"] as? Int == 7)
            let hidden = try await gateway.send("GET", "/v1/strict/13")
            #expect(hidden.status == 500)
            #expect((try hidden.object["message"] as? String)?.hasPrefix("the backend failed while handling this request") == true)
            #expect(!hidden.body.contains("hunter2"))
        }
    }

    @Test func aLateRequiredPartIsAnswered504() async throws {
        try await GatewayHarness.withProbe(mappings: try Self.probeMappings()) { gateway in
            let reply = try await gateway.send("GET", "/v1/late")
            #expect(reply.status == 504)
            #expect(try reply.object["code"] as? Int == 4)
        }
    }
}
