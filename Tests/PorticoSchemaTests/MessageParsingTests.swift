import PorticoSchema
import Testing

@Suite("Parser: messages, enums and scoping")
struct MessageParsingTests {
    @Test func mapFieldDeclaresEntryMessage() throws {
        let pool = try ParserHarness.load("""
            syntax = "proto3";
            package t;
            message M {
              map<string, Item> order_items = 3;
              message Item { int32 n = 1; }
            }
            """).pool
        #expect(pool.messages["t.M"]?.fields == [
            FieldDescriptor(name: "order_items", number: 3, label: .repeated, type: .message, typeName: "t.M.OrderItemsEntry", jsonName: "orderItems"),
        ])
        #expect(pool.messages["t.M.OrderItemsEntry"] == MessageDescriptor(
            fullName: "t.M.OrderItemsEntry",
            file: "test.proto",
            fields: [
                FieldDescriptor(name: "key", number: 1, label: .optional, type: .string, jsonName: "key"),
                FieldDescriptor(name: "value", number: 2, label: .optional, type: .message, typeName: "t.M.Item", jsonName: "value"),
            ],
            isMapEntry: true
        ))
    }

    @Test func oneofsThenSyntheticOneofs() throws {
        let message = try ParserHarness.load("""
            syntax = "proto3";
            package t;
            message M {
              optional int32 first = 1;
              oneof choice { string a = 2; int32 b = 3; }
              optional int32 maybe = 4;
              oneof _maybe { bool c = 5; }
            }
            """).pool.messages["t.M"]
        #expect(message?.oneofs == [
            .init(name: "choice"), .init(name: "_maybe"),
            .init(name: "_first", isSynthetic: true), .init(name: "X_maybe", isSynthetic: true),
        ])
        #expect(message?.fields.map(\.oneofIndex) == [2, 0, 0, 3, 1])
        #expect(message?.fields.map(\.isProto3Optional) == [true, false, false, true, false])
    }

    @Test func reservedRangesAndNames() throws {
        let message = try ParserHarness.load("""
            syntax = "proto3";
            package t;
            message M {
              reserved 2, 15, 9 to 11, 40 to max;
              reserved "foo", "bar";
              int32 a = 1;
            }
            """).pool.messages["t.M"]
        #expect(message?.reservedRanges == [
            .init(start: 2, end: 3), .init(start: 15, end: 16), .init(start: 9, end: 12), .init(start: 40, end: 536_870_912),
        ])
        #expect(message?.reservedNames == ["foo", "bar"])
    }

    @Test func nestedDeclarationsAndDeprecation() throws {
        let pool = try ParserHarness.load("""
            syntax = "proto2";
            package a.b;
            message Outer {
              option deprecated = true;
              message Middle { message Inner { optional Kind kind = 1; } }
              enum Kind { option deprecated = true; K0 = 0; K1 = 1 [deprecated = true]; }
              extensions 100 to 200;
              ;
            }
            """).pool
        #expect(pool.messages["a.b.Outer"]?.isDeprecated == true)
        #expect(pool.messages["a.b.Outer.Middle.Inner"]?.fields.first?.typeName == "a.b.Outer.Kind")
        #expect(pool.enums["a.b.Outer.Kind"] == EnumDescriptor(
            fullName: "a.b.Outer.Kind", file: "test.proto",
            values: [.init(name: "K0", number: 0), .init(name: "K1", number: 1, isDeprecated: true)],
            isDeprecated: true
        ))
    }

    @Test func enumAliasesAndNegativeValues() throws {
        let value = try ParserHarness.load("""
            syntax = "proto3";
            enum E { option allow_alias = true; ZERO = 0; ONE = 1; UNO = 1; MINUS = -5; reserved 7, 9 to max; reserved "OLD"; }
            """).pool.enums["E"]
        #expect(value?.allowAlias == true)
        #expect(value?.values.map(\.number) == [0, 1, 1, -5])
        #expect(value?.value(number: 1)?.name == "ONE")
    }

    /// protobuf's scoping: innermost scope first; a compound name binds at its first part.
    static let scopingCases: [(reference: String, resolved: String)] = [
        ("Leaf", "p.q.Outer.Leaf"),
        ("Outer.Leaf", "p.q.Outer.Leaf"),
        ("q.Outer.Leaf", "p.q.Outer.Leaf"),
        ("p.q.Top", "p.q.Top"),
        ("Top", "p.q.Top"),
        (".p.q.Top", "p.q.Top"),
        ("Other", "p.Other"),
        ("Shadow", "p.q.Outer.Shadow"),
        (".p.q.Shadow", "p.q.Shadow"),
    ]

    @Test(arguments: scopingCases)
    func typeScoping(_ reference: String, _ resolved: String) throws {
        let pool = try ParserHarness.load([
            "other.proto": "syntax = \"proto3\"; package p; message Other {}",
            "test.proto": """
                syntax = "proto3";
                package p.q;
                import "other.proto";
                message Top {}
                message Shadow {}
                message Outer {
                  message Leaf {}
                  message Shadow {}
                  message User { \(reference) field = 1; }
                }
                """,
        ]).pool
        #expect(pool.messages["p.q.Outer.User"]?.fields.first?.typeName == resolved)
    }

    @Test func publicImportsAreVisibleThroughTheImporter() throws {
        let pool = try ParserHarness.load([
            "base.proto": "syntax = \"proto3\"; package b; message Base {}",
            "reexport.proto": "syntax = \"proto3\"; import public \"base.proto\";",
            "test.proto": "syntax = \"proto3\"; import \"reexport.proto\"; message M { b.Base base = 1; }",
        ]).pool
        #expect(pool.messages["M"]?.fields.first?.typeName == "b.Base")
        #expect(pool.files["reexport.proto"]?.dependencies == ["base.proto"])
    }

    @Test func builtInFilesResolveWithoutRoots() throws {
        let pool = try ParserHarness.load("""
            syntax = "proto3";
            import "google/protobuf/any.proto";
            import "google/api/httpbody.proto";
            message M { google.protobuf.Any any = 1; google.api.HttpBody body = 2; }
            """).pool
        #expect(Set(pool.files.keys) == ["test.proto", "google/protobuf/any.proto", "google/api/httpbody.proto"])
        #expect(pool.files["test.proto"]?.syntax == .proto3)
    }

    @Test func warningsForIgnoredConstructs() throws {
        let result = try ParserHarness.load("""
            package t;
            import "google/protobuf/descriptor.proto";
            message M { optional int32 a = 1; extensions 10 to 20; }
            extend M { optional int32 b = 10; }
            extend google.protobuf.FieldOptions { optional int32 c = 50000; }
            """)
        #expect(result.warnings.map(\.description) == [
            "test.proto:1:1: warning: No syntax specified for the proto file; proto2 assumed. Please use 'syntax = \"proto2\";' or 'syntax = \"proto3\";' to specify a syntax version.",
            "test.proto:4:1: warning: Extensions of \"M\" are ignored.",
            "test.proto:5:1: warning: Extensions of \"google.protobuf.FieldOptions\" are ignored.",
        ])
        #expect(result.pool.files["test.proto"]?.syntax == .proto2)
    }
}
