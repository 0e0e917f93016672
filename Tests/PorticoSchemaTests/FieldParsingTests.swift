import PorticoSchema
import Testing

/// One field declaration and the descriptor protoc would give it.
struct FieldCase: Sendable, CustomTestStringConvertible {
    var declaration: String
    var syntax = "proto3"
    var expected: FieldDescriptor
    var testDescription: String { "\(syntax): \(declaration)" }
}

@Suite("Parser: fields")
struct FieldParsingTests {
    static let scalarCases: [FieldCase] = FieldType.allCases.compactMap { type in
        guard let keyword = type.keyword else { return nil }
        return FieldCase(
            declaration: "\(keyword) some_value = 7;",
            expected: FieldDescriptor(name: "some_value", number: 7, label: .optional, type: type, jsonName: "someValue")
        )
    }

    static let cases: [FieldCase] = scalarCases + [
        FieldCase(declaration: "repeated int64 ids = 1;",
                  expected: .init(name: "ids", number: 1, label: .repeated, type: .int64, jsonName: "ids")),
        FieldCase(declaration: "optional string note = 2;",
                  expected: .init(name: "note", number: 2, label: .optional, type: .string, jsonName: "note", oneofIndex: 0, isProto3Optional: true)),
        FieldCase(declaration: "optional string note = 2;", syntax: "proto2",
                  expected: .init(name: "note", number: 2, label: .optional, type: .string, jsonName: "note")),
        FieldCase(declaration: "required bytes blob = 3;", syntax: "proto2",
                  expected: .init(name: "blob", number: 3, label: .required, type: .bytes, jsonName: "blob")),
        FieldCase(declaration: "string user_name = 4 [json_name = \"login\"];",
                  expected: .init(name: "user_name", number: 4, label: .optional, type: .string, jsonName: "login")),
        FieldCase(declaration: "string HTTP_status_2x = 4;",
                  expected: .init(name: "HTTP_status_2x", number: 4, label: .optional, type: .string, jsonName: "HTTPStatus2x")),
        FieldCase(declaration: "repeated int32 xs = 5 [packed = false];",
                  expected: .init(name: "xs", number: 5, label: .repeated, type: .int32, jsonName: "xs", packedOption: false)),
        FieldCase(declaration: "repeated int32 xs = 5 [packed = true, deprecated = true];", syntax: "proto2",
                  expected: .init(name: "xs", number: 5, label: .repeated, type: .int32, jsonName: "xs", packedOption: true, isDeprecated: true)),
        FieldCase(declaration: "string old = 0x1F [deprecated = true, (my.custom) = { a: 1 }];",
                  expected: .init(name: "old", number: 31, label: .optional, type: .string, jsonName: "old", isDeprecated: true)),
        FieldCase(declaration: "string secret = 9 [debug_redact = true, retention = RETENTION_SOURCE, ctype = CORD];",
                  expected: .init(name: "secret", number: 9, label: .optional, type: .string, jsonName: "secret")),
        FieldCase(declaration: "int32 top = 536870911;",
                  expected: .init(name: "top", number: 536_870_911, label: .optional, type: .int32, jsonName: "top")),
        FieldCase(declaration: "int32 octal = 010;",
                  expected: .init(name: "octal", number: 8, label: .optional, type: .int32, jsonName: "octal")),
    ]

    @Test(arguments: cases)
    func fieldDescriptor(_ testCase: FieldCase) throws {
        #expect(try ParserHarness.field(testCase.declaration, syntax: testCase.syntax) == testCase.expected)
    }

    /// proto2 defaults and the text form protoc stores for them.
    static let defaults: [(declaration: String, text: String)] = [
        ("optional int32 v = 1 [default = -2147483648];", "-2147483648"),
        ("optional int32 v = 1 [default = 0x7fffffff];", "2147483647"),
        ("optional int64 v = 1 [default = -0x8000000000000000];", "-9223372036854775808"),
        ("optional uint32 v = 1 [default = 4294967295];", "4294967295"),
        ("optional uint64 v = 1 [default = 0xFFFFFFFFFFFFFFFF];", "18446744073709551615"),
        ("optional sint32 v = 1 [default = 017];", "15"),
        ("optional sfixed64 v = 1 [default = -0];", "0"),
        ("optional float v = 1 [default = 0.1];", "0.1"),
        ("optional float v = 1 [default = 16777217];", "16777216"),
        ("optional float v = 1 [default = 1e-3];", "0.001"),
        ("optional float v = 1 [default = inf];", "inf"),
        ("optional float v = 1 [default = -inf];", "-inf"),
        ("optional float v = 1 [default = -nan];", "nan"),
        ("optional double v = 1 [default = 1e20];", "1e+20"),
        ("optional double v = 1 [default = 0.1];", "0.1"),
        ("optional double v = 1 [default = 0.3333333333333333];", "0.33333333333333331"),
        ("optional double v = 1 [default = 100];", "100"),
        ("optional double v = 1 [default = 0x10];", "16"),
        ("optional double v = 1 [default = 5.];", "5"),
        ("optional double v = 1 [default = nan];", "nan"),
        ("optional bool v = 1 [default = true];", "true"),
        ("optional string v = 1 [default = \"a\\tb\\n\\\"c\\\" \\u00e9\\U0001F600 \\x41\\101\\?\"];", "a\tb\n\"c\" é😀 AA?"),
        ("optional string v = 1 [default = \"con\" 'cat' \"enated\"];", "concatenated"),
        ("optional bytes v = 1 [default = \"\\0\\001\\n\\r\\t\\\\'\\\"\\x7f\\xff\\a ok\"];", "\\000\\001\\n\\r\\t\\\\\\'\\\"\\177\\377\\007 ok"),
        ("optional E v = 1 [default = SECOND];", "SECOND"),
    ]

    @Test(arguments: defaults)
    func defaultValueText(_ declaration: String, _ text: String) throws {
        let field = try ParserHarness.field(declaration, syntax: "proto2", prelude: "enum E { FIRST = 1; SECOND = 2; }")
        #expect(field?.defaultValue == text)
    }
}
