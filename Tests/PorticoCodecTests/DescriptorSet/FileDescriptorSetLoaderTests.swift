import Foundation
import PorticoSchema
import PorticoTesting
import Testing
@testable import PorticoCodec

/// The `FileDescriptorSet` loader on protoc output: the demo `Protos/`, the wire fixtures, the http rules.
@Suite struct FileDescriptorSetLoaderTests {
    static func load(_ files: [String], root: URL = WireFixtures.includeRoot) async throws -> SchemaPool {
        let data = try await Protoc.descriptorSet(files: files, includeRoots: [root])
        return try FileDescriptorSetLoader().load([UInt8](data))
    }

    static let demoFiles = [
        "demo/common/v1/money.proto", "demo/users/v1/users.proto",
        "demo/orders/v1/orders.proto", "demo/products/v1/products.proto",
    ]

    @Test func demoProtosLoadAndLayOut() async throws {
        let schema = try await Self.load(Self.demoFiles, root: Fixtures.protosDirectory)
        #expect(schema.files["demo/orders/v1/orders.proto"]?.dependencies == [
            "demo/common/v1/money.proto", "google/api/annotations.proto", "google/protobuf/timestamp.proto",
        ])
        #expect(schema.files["google/protobuf/timestamp.proto"]?.package == "google.protobuf")
        let order = try #require(schema.messages["demo.orders.v1.Order"])
        #expect(order.fields.map(\.name) == ["order_id", "user_id", "user_name", "order_items", "status", "total", "created_at", "note"])
        #expect(order.field(named: "order_items")?.jsonName == "orderItems")
        #expect(order.field(named: "order_items")?.typeName == "demo.orders.v1.OrderItem")
        #expect(order.field(named: "note")?.isProto3Optional == true)
        #expect(order.oneofs == [MessageDescriptor.Oneof(name: "_note", isSynthetic: true)])
        let pool = try DescriptorPool(schema: schema)
        #expect(pool.containsMessage(named: "google.protobuf.Timestamp"))
    }

    @Test func demoHttpRulesComeOutAsWritten() async throws {
        let schema = try await Self.load(Self.demoFiles, root: Fixtures.protosDirectory)
        func rule(_ method: String) -> HttpRule? { schema.method(named: method)?.method.httpRule }
        #expect(rule("demo.orders.v1.OrderService.GetOrder") == HttpRule(pattern: .get("/v1/orders/{order_id}")))
        #expect(rule("demo.orders.v1.OrderService.ListOrders") == HttpRule(
            pattern: .get("/v1/orders"), additionalBindings: [HttpRule(pattern: .get("/v1/users/{user_id}/orders"))]
        ))
        #expect(rule("demo.orders.v1.OrderService.CreateOrder") == nil)
        #expect(rule("demo.orders.v1.OrderService.CancelOrder") == HttpRule(pattern: .post("/v1/orders/{order_id}:cancel"), body: "*"))
        #expect(schema.method(named: "/demo.orders.v1.OrderService/WatchOrder")?.method.serverStreaming == true)
        #expect(rule("demo.users.v1.UserService.UpdateUser") == HttpRule(pattern: .patch("/v1/users/{user.user_id}"), body: "user"))
        #expect(rule("demo.users.v1.UserService.DeleteUser") == HttpRule(pattern: .delete("/v1/users/{user_id}")))
        #expect(rule("demo.users.v1.UserService.CreateUser") == HttpRule(pattern: .post("/v1/users"), body: "user"))
        #expect(rule("demo.products.v1.ProductService.ListProducts") == nil)
    }

    @Test func everyHttpRuleShape() async throws {
        let schema = try await Self.load(["wire/http/v1/routes.proto"])
        let service = try #require(schema.services["wire.http.v1.Routes"])
        let rules = Dictionary(uniqueKeysWithValues: service.methods.map { ($0.name, $0.httpRule) })
        #expect(rules["Put"] == HttpRule(pattern: .put("/v1/items/{id}"), body: "*"))
        #expect(rules["Head"] == HttpRule(pattern: .custom(kind: "HEAD", path: "/v1/items/{id}")))
        #expect(rules["Name"] == HttpRule(pattern: .get("/v1/items/{id}/name"), responseBody: "name", additionalBindings: [
            HttpRule(pattern: .post("/v1/items/{id}:name"), body: "name"),
            HttpRule(pattern: .get("/v2/{id=items/*}/name"), responseBody: "name"),
        ]))
        #expect(rules["Plain"] == .some(nil))
        #expect(rules["Old"] == HttpRule(pattern: .delete("/v1/items/{id}")))
        #expect(service.methods.first { $0.name == "Old" }?.isDeprecated == true)
        let stream = try #require(service.methods.first { $0.name == "Stream" })
        #expect(stream.clientStreaming && stream.serverStreaming && stream.inputType == "wire.http.v1.Item")
        #expect(schema.method(named: "wire.http.v1.Routes.Head")?.method.outputType == "google.protobuf.Empty")
    }

    @Test func proto3FixtureFollowsTheModel() async throws {
        let schema = try await Self.load(WireFixtures.kindsFiles)
        let everything = try #require(schema.messages["wire.kinds.v1.Everything"])
        #expect(everything.oneofs.map(\.name) == ["choice", "other", "_opt_int32", "_opt_string", "_opt_double",
                                                   "_opt_color", "_opt_bool", "_opt_bytes", "_opt_message"])
        #expect(everything.oneofs.map(\.isSynthetic) == [false, false] + Array(repeating: true, count: 7))
        #expect(everything.field(named: "choice_int64")?.oneofIndex == 0)
        #expect(everything.field(named: "opt_color")?.oneofIndex == 5)
        #expect(everything.field(named: "renamed")?.jsonName == "customName")
        #expect(everything.field(named: "renamed")?.isDeprecated == true)
        #expect(everything.field(named: "farthest")?.number == 536_870_911)
        #expect(everything.field(named: "shared")?.typeName == "wire.common.v1.Shared")
        #expect(everything.reservedRanges == [.init(start: 900, end: 910), .init(start: 950, end: 951)])
        #expect(everything.reservedNames == ["legacy_field", "older_field"])
        let entry = try #require(schema.messages["wire.kinds.v1.Maps.StringNodeEntry"])
        #expect(entry.isMapEntry && entry.fields.map(\.name) == ["key", "value"])
        let lists = try #require(schema.messages["wire.kinds.v1.Lists"])
        #expect(lists.field(named: "u_int32")?.packedOption == false)
        #expect(lists.field(named: "r_int32")?.packedOption == nil)
        #expect(schema.isPacked(lists.field(named: "r_int32")!, syntax: .proto3))
        let color = try #require(schema.enums["wire.kinds.v1.Color"])
        #expect(color.allowAlias && color.values.map(\.number) == [0, 0, 1, 2, -3])
        #expect(color.values[1].isDeprecated)
        #expect(schema.files["wire/kinds/v1/kinds.proto"]?.syntax == .proto3)
    }

    @Test func proto2DefaultsArriveAsProtocWritesThem() async throws {
        let schema = try await Self.load(WireFixtures.kindsFiles)
        #expect(schema.files["wire/legacy/v1/legacy.proto"]?.syntax == .proto2)
        let legacy = try #require(schema.messages["wire.legacy.v1.Legacy"])
        func defaultText(_ name: String) -> String? { legacy.field(named: name)?.defaultValue }
        #expect(defaultText("d_string") == "héllo \"q\"")
        #expect(defaultText("d_bytes") == "a\\000b\\377\\n")
        #expect(defaultText("d_mode") == "MODE_SECOND")
        #expect(defaultText("d_inf") == "inf")
        #expect(defaultText("d_uint64") == "18446744073709551615")
        #expect(defaultText("plain") == nil)
        #expect(legacy.field(named: "id")?.label == .required)
        #expect(legacy.field(named: "packed_numbers")?.packedOption == true)
        #expect(!schema.isPacked(legacy.field(named: "numbers")!, syntax: .proto2))

        let pool = try DescriptorPool(schema: schema)
        let layout = try #require(pool.message(named: "wire.legacy.v1.Legacy"))
        let arena = Arena()
        defer { withExtendedLifetime(arena) {} }
        let message = MessageHandle.make(layout, in: arena)
        func field(_ name: String) -> FieldLayout { layout.field(named: name)! }
        #expect(message.string(field("d_string")) == "héllo \"q\"")
        #expect(Array(message.bytes(field("d_bytes"))) == [0x61, 0, 0x62, 0xFF, 0x0A])
        #expect(message.int32(field("d_mode")) == 7 && message.int32(field("mode")) == 3)
        #expect(message.double(field("d_inf")) == .infinity && message.float(field("d_nan")).isNaN)
        #expect(message.uint64(field("d_uint64")) == .max && message.int64(field("d_int64")) == -9_000_000_000)
        #expect(message.float(field("d_float")) == -2.25 && message.bool(field("d_bool")))
        #expect(!message.has(field("d_string")))
        #expect(message.packedSize == 7, "only the required id, key and required_inner are written")
    }

    @Test func groupsAndGarbageAreRejected() async throws {
        let folder = try Scratch.folder("group")
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("syntax = \"proto2\"; message G { optional group Inner = 1 { optional int32 a = 2; } }".utf8)
            .write(to: folder.appendingPathComponent("g.proto"))
        let data = try await Protoc.descriptorSet(files: ["g.proto"], includeRoots: [folder])
        let error = #expect(throws: WireError.self) { try FileDescriptorSetLoader().load([UInt8](data)) }
        #expect(error?.code == .unsupportedSchema && error?.message.contains("group") == true)
        #expect(throws: WireError.self) { try FileDescriptorSetLoader().load([0x0A, 0x05, 0x0A]) }
        #expect(throws: WireError.self) { try FileDescriptorSetLoader().load([0x0A, 0x02, 0x0A, 0x01, 0xFF]) }
        #expect(try FileDescriptorSetLoader().load([]) == SchemaPool())
    }

    @Test func descriptorSetFilesLoadFromDisk() async throws {
        let set = try await WireFixtures.compile(["wire/http/v1/routes.proto"])
        defer { try? FileManager.default.removeItem(atPath: set.path) }
        let schema = try FileDescriptorSetLoader().load(contentsOf: URL(fileURLWithPath: set.path))
        #expect(schema == set.schema)
        #expect(FileDescriptorSetLoader.fileExtensions == ["binpb", "pb", "protoset"])
        let missing = #expect(throws: WireError.self) {
            try FileDescriptorSetLoader().load(contentsOf: URL(fileURLWithPath: "/nonexistent/x.binpb"))
        }
        #expect(missing?.message.contains("x.binpb") == true)
    }
}
