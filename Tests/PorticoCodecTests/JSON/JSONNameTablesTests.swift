import PorticoSchema
import Testing

@testable import PorticoCodec

@Suite("API-version JSON name tables")
struct JSONNameTablesTests {
    static let order = MessageDescriptor(
        fullName: "demo.Order",
        file: "demo.proto",
        fields: [
            FieldDescriptor(name: "order_items", number: 1, label: .repeated, type: .message, typeName: "demo.Item", jsonName: "orderItems"),
            FieldDescriptor(name: "user_name", number: 2, label: .optional, type: .string, jsonName: "userName"),
            FieldDescriptor(name: "note", number: 3, label: .optional, type: .string, jsonName: "memo"),
        ]
    )
    static let pool = SchemaPool(
        files: [ProtoFile(name: "demo.proto", package: "demo", syntax: .proto3, dependencies: [])],
        messages: [order]
    )

    private func rename(_ field: String, _ name: String, message: String = "demo.Order") -> JSONNameTables.Rename {
        JSONNameTables.Rename(version: "v1", message: message, protoFieldName: field, jsonName: name)
    }

    @Test("the default version uses json_name and the lowerCamel names; proto names are accepted too")
    func defaultNames() throws {
        let tables = try JSONNameTables(pool: Self.pool, defaultVersion: "v2")
        let names = try #require(tables.names(for: "demo.Order", version: nil))
        #expect(names.outputNames == ["orderItems", "userName", "memo"])
        #expect(names.inputFields == ["orderItems": 0, "order_items": 0, "userName": 1, "user_name": 1, "memo": 2, "note": 2])
        #expect(tables.names(for: "demo.Order", version: "v9")?.outputNames == names.outputNames)
    }

    @Test("a version renames fields; its JSON name and the proto name are accepted, the default name is not")
    func renamedNames() throws {
        let tables = try JSONNameTables(pool: Self.pool, defaultVersion: "v2", renames: [rename("order_items", "items"), rename("user_name", "user_name")])
        let names = try #require(tables.names(for: "demo.Order", version: "v1"))
        #expect(names.outputNames == ["items", "user_name", "memo"])
        #expect(names.inputFields == ["items": 0, "order_items": 0, "user_name": 1, "memo": 2, "note": 2])
        #expect(tables.names(for: "demo.Order", version: "v2")?.outputNames == ["orderItems", "userName", "memo"])
        #expect(tables.versions == ["v1", "v2"])
    }

    static let badRenames: [([JSONNameTables.Rename], [String])] = [
        ([JSONNameTables.Rename(version: "v1", message: "demo.Order", protoFieldName: "missing", jsonName: "x")],
         ["version v1: demo.Order has no field missing to rename"]),
        ([JSONNameTables.Rename(version: "v1", message: "demo.Nope", protoFieldName: "a", jsonName: "x")],
         ["version v1: rename in unknown message demo.Nope"]),
        ([JSONNameTables.Rename(version: "v1", message: "demo.Order", protoFieldName: "user_name", jsonName: "memo")],
         ["version v1: demo.Order fields user_name and note both have the JSON name memo"]),
        ([JSONNameTables.Rename(version: "v1", message: "demo.Order", protoFieldName: "user_name", jsonName: "note")],
         ["version v1: demo.Order field user_name is renamed to note, the proto name of another field"]),
    ]

    @Test("renames that do not fit the schema are errors", arguments: badRenames)
    func badRename(_ renames: [JSONNameTables.Rename], _ problems: [String]) {
        #expect(throws: JSONNameTableError.self) { try JSONNameTables(pool: Self.pool, defaultVersion: "v2", renames: renames) }
        do {
            _ = try JSONNameTables(pool: Self.pool, defaultVersion: "v2", renames: renames)
        } catch {
            #expect(error.problems == problems)
        }
    }
}
