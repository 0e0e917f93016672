import Foundation
import PorticoSchema
import PorticoTesting
import Testing

@Suite("ProtoLoader")
struct ProtoLoaderTests {
    @Test func everyBundledProtoLoads() throws {
        let loader = ProtoLoader(includeRoots: [Fixtures.protosDirectory])
        let names = loader.discoverFiles()
        #expect(names.contains("demo/orders/v1/orders.proto"))
        let result = try loader.loadAll()
        #expect(result.warnings.isEmpty)
        for name in names {
            #expect(result.pool.files[name] != nil, "\(name) is missing from the pool")
        }
        let cancel = result.pool.method(named: "/demo.orders.v1.OrderService/CancelOrder")
        #expect(cancel?.method.httpRule == HttpRule(pattern: .post("/v1/orders/{order_id}:cancel"), body: "*"))
        #expect(result.pool.files["google/protobuf/descriptor.proto"] != nil)
    }

    @Test func everyParserFixtureLoadsWithWarningsForExtensions() throws {
        let loader = ProtoLoader(includeRoots: [Fixtures.url("protos")])
        let result = try loader.load(files: loader.discoverFiles().filter { $0.hasPrefix("parser/") })
        #expect(result.warnings.map(\.description) == [
            "parser/custom/options.proto:18:1: warning: Extensions of \"google.protobuf.FileOptions\" are ignored.",
            "parser/custom/options.proto:22:1: warning: Extensions of \"google.protobuf.OneofOptions\" are ignored.",
            "parser/custom/options.proto:26:1: warning: Extensions of \"google.protobuf.MethodOptions\" are ignored.",
            "parser/legacy/v1/legacy.proto:70:1: warning: Extensions of \"Defaults\" are ignored.",
        ])
        #expect(result.pool.messages["parser.kitchen.v1.Tree.Leaf"] != nil)
    }

    @Test func builtInFilesComeBeforeSourcesAndRoots() throws {
        let loader = ProtoLoader(
            includeRoots: [Fixtures.protosDirectory],
            sources: [
                "google/protobuf/empty.proto": "syntax = \"proto3\"; package google.protobuf; message Empty { int32 shadow = 1; }",
                "extra/uses.proto": "syntax = \"proto3\"; import \"demo/common/v1/money.proto\"; import \"google/protobuf/empty.proto\"; message Uses { demo.common.v1.Money m = 1; google.protobuf.Empty e = 2; }",
            ]
        )
        let pool = try loader.load(files: ["extra/uses.proto"]).pool
        #expect(pool.messages["google.protobuf.Empty"]?.fields.isEmpty == true)
        #expect(pool.messages["Uses"]?.fields.map(\.typeName) == ["demo.common.v1.Money", "google.protobuf.Empty"])
        #expect(Set(pool.files.keys) == ["extra/uses.proto", "demo/common/v1/money.proto", "google/protobuf/empty.proto"])
    }

    @Test func errorsOfSeveralFilesAreAllReported() {
        let loader = ProtoLoader(sources: [
            "a.proto": "syntax = \"proto3\"; message A { Nope n = 1; }",
            "b.proto": "syntax = \"proto3\"; message B { int32 x = 1; int32 y = 1; }",
        ])
        #expect(throws: ProtoLoadError.self) { try loader.loadAll() }
        do {
            _ = try loader.loadAll()
        } catch {
            #expect(error.errors.map(\.description) == [
                "a.proto:1:32: \"Nope\" is not defined.",
                "b.proto:1:55: Field number 1 has already been used in \"B\" by field \"x\".",
            ])
            #expect(error.description.split(separator: "\n").count == 2)
        }
    }

    @Test func requestedFileMissing() {
        #expect(throws: ProtoLoadError.self) { try ProtoLoader().load(files: ["nowhere.proto"]) }
    }
}
