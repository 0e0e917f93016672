import Foundation
import NIOCore
import PorticoServer
import Testing

/// The README's curl examples, against the demo backends over real sockets.
@Suite struct DemoGatewayTests {
    @Test func readmeExamples() async throws {
        try await GatewayHarness.withDemo { gateway in

            let user = try await gateway.send("GET", "/v1/users/u1")
            #expect(user.status == 200)
            #expect(user.header("content-type") == "application/json")
            #expect(user.header("x-request-id")?.count == 32)
            #expect(try user.object["displayName"] as? String == "Ada Lovelace")
            #expect(try user.object["role"] as? String == "ROLE_ADMIN")
            #expect(try user.object["createdAt"] as? String == "2026-01-01T00:00:00Z")

            let books = try await gateway.send("GET", "/v1/products?category=CATEGORY_BOOKS&tags=classic&minStock=1")
            #expect(books.status == 200)
            let products = try books.object["products"] as? [[String: Any]]
            #expect(products?.compactMap { $0["productId"] as? String } == ["p1", "p5"])
            #expect(products?.first?["stock"] as? String == "12")

            let v2 = try await gateway.send(
                "POST", "/v1/orders", headers: ["Content-Type": "application/json", "Authorization": "Bearer \(DemoCredentials.token)"],
                body: #"{"userId":"u1","orderItems":[{"productId":"p3","quantity":2}],"note":"gift"}"#
            )
            #expect(v2.status == 200)
            #expect(v2.header("deprecation") == nil)
            let v2Items = try v2.object["orderItems"] as? [[String: Any]]
            #expect(v2Items?.first?["quantity"] as? Int == 2)
            #expect(try (v2.object["total"] as? [String: Any])?["units"] as? String == "179")

            let v1 = try await gateway.send(
                "POST", "/v1/orders", headers: ["Content-Type": "application/json", "X-API-Version": "v1", "Authorization": "Bearer \(DemoCredentials.token)"],
                body: #"{"userId":"u2","items":[{"product_id":"p1","qty":1}]}"#
            )
            #expect(v1.status == 200)
            #expect(v1.header("deprecation") == "@1767225600")
            #expect(v1.header("sunset") == "Wed, 30 Jun 2027 00:00:00 GMT")
            let v1Object = try v1.object
            #expect(v1Object["user_name"] as? String == "Alan Turing")
            #expect(v1Object["orderItems"] == nil)
            let v1Items = v1Object["items"] as? [[String: Any]]
            #expect(v1Items?.first?["qty"] as? Int == 1)
            #expect((v1Items?.first?["price"] as? [String: Any])?["units"] as? String == "199")

            let missing = try await gateway.send("GET", "/v1/users/nobody")
            #expect(missing.status == 404)
            #expect(try missing.object["code"] as? Int == 5)
            #expect(try missing.object["message"] as? String == #"user "nobody" not found"#)
            let details = try missing.object["details"] as? [[String: Any]]
            #expect(details?.first?["@type"] as? String == "type.googleapis.com/google.rpc.ErrorInfo")

            let wrongType = try await gateway.send(
                "POST", "/v1/orders", headers: ["Content-Type": "application/json", "Authorization": "Bearer \(DemoCredentials.token)"],
                body: #"{"userId":"u1","orderItems":[{"productId":"p3","quantity":"two"}]}"#
            )
            #expect(wrongType.status == 400)
            #expect(try wrongType.object["message"] as? String == #"orderItems[0].quantity: expected an integer, got "two""#)
        }
    }

    @Test func streamsAnswerAsAJSONArrayAndUpdatesTakeAFieldMask() async throws {
        try await GatewayHarness.withDemo { gateway in
            let watch = try await gateway.send("GET", "/v1/orders/o1:watch")
            #expect(watch.status == 200)
            let events = try JSONSerialization.jsonObject(with: Data(watch.body.utf8)) as? [[String: Any]]
            #expect(events?.compactMap { $0["status"] as? String } == ["ORDER_STATUS_PENDING", "ORDER_STATUS_PAID"])

            let patched = try await gateway.send(
                "PATCH", "/v1/users/u2?updateMask=displayName", headers: ["Content-Type": "application/json"],
                body: #"{"displayName":"A. M. Turing","email":"ignored@example.com"}"#
            )
            #expect(patched.status == 200)
            #expect(try patched.object["displayName"] as? String == "A. M. Turing")
            #expect(try patched.object["email"] as? String == "alan@example.com")

            let byPath = try await gateway.send("GET", "/v1/users/u2/orders", headers: DemoCredentials.bearer)
            #expect(try (byPath.object["orders"] as? [[String: Any]])?.compactMap { $0["orderId"] as? String } == ["o2"])
        }
    }

    @Test func theAdminListenerServesHealthAndRoutes() async throws {
        try await GatewayHarness.withDemo { gateway in
            let adminPort = try #require(gateway.server.adminAddress?.port)
            let health = try await gateway.send("GET", "/healthz", port: adminPort)
            #expect(health.status == 200)
            let routes = try await gateway.send("GET", "/admin/routes", port: adminPort)
            let list = try JSONSerialization.jsonObject(with: Data(routes.body.utf8)) as? [[String: Any]]
            #expect(list?.count == 17)
            let dashboard = list?.first { $0["path"] as? String == "/v1/dashboard/{user_id}" }
            #expect(dashboard?["selector"] as? String == "composite.dashboard")
            #expect(dashboard?["backend"] as? String == "user: users, orders: orders, suggestions: products")
            #expect(list?.contains { $0["path"] as? String == "/v1/orders" && $0["method"] as? String == "POST" && $0["origin"] as? String == "Mappings/orders.yaml:10:7" } == true)
        }
    }
}
