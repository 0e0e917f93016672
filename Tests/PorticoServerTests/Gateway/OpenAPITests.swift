import Foundation
import NIOCore
import PorticoServer
import PorticoTesting
import Testing

/// The OpenAPI 3.1 documents of the demo gateway: valid per openapi-spec-validator, v1 and v2 apart exactly
/// by the renames, usable to call the demo, and served by the admin listener.
@Suite struct OpenAPITests {
    static let snapshot: GatewaySnapshot = {
        // The bundled folders compile in every other test; a failure here is a broken checkout.
        try! GatewayCompiler(protosDirectory: Fixtures.protosDirectory, mappingsDirectory: Fixtures.mappingsDirectory).compile()
    }()

    static func document(_ version: String?) throws -> [String: Any] {
        let bytes = try #require(OpenAPIDocument.json(snapshot: snapshot, version: version))
        return try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    @Test(arguments: ["v1", "v2"])
    func everyVersionsDocumentPassesTheValidator(_ version: String) async throws {
        let bytes = try #require(OpenAPIDocument.json(snapshot: Self.snapshot, version: version))
        let verdict = try await ProcessRunner.run(PythonPeer.executable, [Fixtures.url("python/openapi_validate.py").path], input: Data(bytes))
        #expect(verdict.status == 0, "\(String(decoding: verdict.standardOutput, as: UTF8.self)) \(verdict.standardError)")
        let document = try Self.document(version)
        #expect(document["openapi"] as? String == "3.1.0")
        #expect((document["info"] as? [String: Any])?["version"] as? String == version)
    }

    @Test func v1AndV2DifferExactlyByTheRenames() throws {
        let v1 = try Self.document("v1"), v2 = try Self.document("v2")
        let schemas1 = try #require((v1["components"] as? [String: Any])?["schemas"] as? [String: [String: Any]])
        let schemas2 = try #require((v2["components"] as? [String: Any])?["schemas"] as? [String: [String: Any]])
        #expect(Set(schemas1.keys) == Set(schemas2.keys))
        #expect(Set((v1["paths"] as? [String: Any] ?? [:]).keys) == Set((v2["paths"] as? [String: Any] ?? [:]).keys))
        let renames: [String: [String: String]] = [
            "demo.orders.v1.Order": ["orderItems": "items", "userName": "user_name"],
            "demo.orders.v1.CreateOrderRequest": ["orderItems": "items"],
            "demo.orders.v1.OrderItem": ["productId": "product_id", "quantity": "qty", "unitPrice": "price"],
        ]
        for (name, schema2) in schemas2 {
            let properties2 = schema2["properties"] as? [String: Any] ?? [:]
            let properties1 = schemas1[name]?["properties"] as? [String: Any] ?? [:]
            let map = renames[name] ?? [:]
            let expected = Set(properties2.keys.map { map[$0] ?? $0 })
            #expect(Set(properties1.keys) == expected, "\(name): v1's names are v2's with the renames applied")
            for (key, value) in properties2 {
                let renamed = map[key] ?? key
                #expect(Self.canonical(properties1[renamed]) == Self.canonical(value), "\(name).\(key) has the same schema in both")
            }
        }
        let v1Order = try #require(schemas1["demo.orders.v1.Order"]?["properties"] as? [String: Any])
        #expect(v1Order["items"] != nil && v1Order["orderItems"] == nil)
    }

    @Test func theDocumentDescribesTheProto3JSONForms() throws {
        let schemas = try #require(((try Self.document(nil))["components"] as? [String: Any])?["schemas"] as? [String: [String: Any]])
        let order = try #require(schemas["demo.orders.v1.Order"]?["properties"] as? [String: [String: Any]])
        #expect(order["createdAt"]?["format"] as? String == "date-time", "a Timestamp is an RFC 3339 string")
        #expect((order["status"]?["enum"] as? [String])?.contains("ORDER_STATUS_PAID") == true, "enums by name")
        #expect(schemas["google.rpc.Status"] != nil, "errors are google.rpc.Status")
        let money = try #require(schemas["demo.common.v1.Money"]?["properties"] as? [String: [String: Any]])
        #expect(money.values.contains { $0["format"] as? String == "int64" && $0["type"] as? String == "string" }, "64-bit integers are strings")
        #expect(schemas["demo.users.v1.User"]?["description"] as? String == "A customer or an administrator of the demo shop.")
        let user = try #require(schemas["demo.users.v1.User"]?["properties"] as? [String: [String: Any]])
        #expect(user["displayName"]?["description"] as? String == "The name shown to other users.", "descriptions come from proto comments")
    }

    @Test func streamingRoutesDescribeEachFormat() throws {
        let paths = try #require((try Self.document(nil))["paths"] as? [String: [String: [String: Any]]])
        let watch = try #require(paths["/v1/orders/{order_id}:watch"]?["get"])
        let answer = try #require(((watch["responses"] as? [String: Any])?["200"] as? [String: Any])?["content"] as? [String: [String: Any]])
        #expect(Set(answer.keys) == ["application/json", "application/x-ndjson", "text/event-stream"])
        #expect((answer["application/json"]?["schema"] as? [String: Any])?["type"] as? String == "array")
        let importing = try #require(paths["/v1/orders:import"]?["post"])
        let body = try #require((importing["requestBody"] as? [String: Any])?["content"] as? [String: [String: Any]])
        #expect(Set(body.keys) == ["application/json", "application/x-ndjson"])
        #expect(((body["application/json"]?["schema"] as? [String: Any])?["oneOf"] as? [Any])?.count == 2, "an array of messages, or one")
    }

    @Test func aRequestBuiltFromTheDocumentSucceedsAgainstTheDemo() async throws {
        let paths = try #require((try Self.document("v1"))["paths"] as? [String: [String: [String: Any]]])
        let (template, operation) = try #require(paths.lazy.compactMap { path, methods in
            methods["get"].flatMap { $0["operationId"] as? String == "demo.users.v1.UserService.GetUser" ? (path, $0) : nil }
        }.first)
        #expect(operation["description"] as? String == "Returns one user by id; NOT_FOUND when there is none.")
        let parameters = try #require(operation["parameters"] as? [[String: Any]])
        var target = template
        var headers: [String: String] = [:]
        for parameter in parameters {
            let name = try #require(parameter["name"] as? String)
            switch parameter["in"] as? String {
            case "path": target = target.replacingOccurrences(of: "{\(name)}", with: "u1")
            case "header": headers[name] = (parameter["schema"] as? [String: Any])?["const"] as? String
            default: break
            }
        }
        try await GatewayHarness.withDemo { gateway in
            let reply = try await gateway.send("GET", target, headers: headers)
            #expect(reply.status == 200)
            #expect(reply.header("deprecation") != nil, "the document's version header selected v1")
            let admin = try #require(gateway.server.adminAddress?.port)
            let served = try await gateway.send("GET", "/openapi/v1.json", port: admin)
            #expect(served.status == 200)
            #expect(Self.canonical(try JSONSerialization.jsonObject(with: Data(served.body.utf8))) == Self.canonical(try Self.document("v1")))
            #expect(try await gateway.send("GET", "/openapi/v9.json", port: admin).status == 404)
            #expect(try await gateway.send("GET", "/openapi.json", port: admin).status == 200)
        }
    }

    /// A JSON value as sorted-key text, to compare two parsed documents.
    static func canonical(_ value: Any?) -> String {
        guard let value, let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed]) else { return "nil" }
        return String(decoding: data, as: UTF8.self)
    }
}
