import Foundation
import PorticoServer
import Testing

/// A field bound by the URL path cannot be set again by a query parameter (under any of its names) or by the
/// request body: the path names the resource, and the gateway must never act on another one.
@Suite struct PathBindingTests {
    @Test(arguments: [
        ("/v1/users/u1?userId=u2", "userId"),
        ("/v1/users/u1?user_id=u2", "user_id"),
        ("/v1/users/u1/orders?userId=u2", "userId"),
    ])
    func aQueryParameterNamingAPathFieldIsRefused(target: String, parameter: String) async throws {
        try await GatewayHarness.withDemo { gateway in
            let reply = try await gateway.send("GET", target, headers: DemoCredentials.bearer)
            #expect(reply.status == 400, "\(reply.body)")
            #expect(try reply.object["message"] as? String == "query parameter \"\(parameter)\" sets a field bound by the URL path")
        }
    }

    @Test func theDeleteOfAnotherUserThroughTheQueryIsRefused() async throws {
        try await GatewayHarness.withDemo { gateway in
            let admin = try await AuthEndToEndTests.demoToken(["--sub", "root", "--roles", "admin"])
            let headers = ["Authorization": "Bearer \(admin)"]
            let refused = try await gateway.send("DELETE", "/v1/users/x3?userId=u2", headers: headers)
            #expect(refused.status == 400)
            #expect(try await gateway.send("GET", "/v1/users/u2").status == 200, "u2 is still there")
        }
    }

    @Test func aBodyFieldNamingAPathFieldIsRefused() async throws {
        try await GatewayHarness.withDemo { gateway in
            let json = ["Content-Type": "application/json"]
            let update = try await gateway.send(
                "PATCH", "/v1/users/u1", headers: json, body: #"{"userId":"u2","displayName":"Mallory"}"#
            )
            #expect(update.status == 400, "\(update.body)")
            #expect(try update.object["message"] as? String == "user.user_id: the field is bound by the URL path; the request body must not set it")
            #expect(try await gateway.send("GET", "/v1/users/u2").object["displayName"] as? String == "Alan Turing")

            let cancel = try await gateway.send("POST", "/v1/orders/o1:cancel", headers: json, body: #"{"orderId":"o2"}"#)
            #expect(cancel.status == 400, "\(cancel.body)")
            #expect(try cancel.object["message"] as? String == "order_id: the field is bound by the URL path; the request body must not set it")
        }
    }

    @Test func aBodyWithoutThePathFieldStillWorks() async throws {
        try await GatewayHarness.withDemo { gateway in
            let update = try await gateway.send(
                "PATCH", "/v1/users/u1", headers: ["Content-Type": "application/json"], body: #"{"displayName":"Ada King"}"#
            )
            #expect(update.status == 200, "\(update.body)")
            #expect(try update.object["userId"] as? String == "u1")
            #expect(try update.object["displayName"] as? String == "Ada King")
        }
    }
}
