import PorticoSchema
import Testing

/// Sources that must fail, and every error they must report, each with its position.
struct ErrorCase: Sendable, CustomTestStringConvertible {
    var label: String
    var files: [String: String]
    var errors: [String]
    var testDescription: String { label }

    init(_ label: String, _ text: String, _ errors: [String]) {
        self.label = label
        self.files = ["test.proto": text]
        self.errors = errors
    }

    init(_ label: String, files: [String: String], _ errors: [String]) {
        self.label = label
        self.files = files
        self.errors = errors
    }
}

@Suite("Parser: errors")
struct ParserErrorTests {
    static let p3 = "syntax = \"proto3\";\n"
    static let p2 = "syntax = \"proto2\";\n"

    static let cases: [ErrorCase] = [
        ErrorCase("duplicate field number", p3 + "message M {\n  int32 a = 1;\n  int32 b = 1;\n}", [
            "test.proto:4:13: Field number 1 has already been used in \"M\" by field \"a\".",
        ]),
        ErrorCase("duplicate field name", p3 + "message M {\n  int32 a = 1;\n  string a = 2;\n}", [
            "test.proto:4:10: \"a\" is already defined in \"M\".",
        ]),
        ErrorCase("field number zero", p3 + "message M { int32 a = 0; }", [
            "test.proto:2:23: Field numbers must be positive integers.",
        ]),
        ErrorCase("field number too large", p3 + "message M { int32 a = 536870912; }", [
            "test.proto:2:23: Field numbers cannot be greater than 536870911.",
        ]),
        ErrorCase("implementation range", p3 + "message M { int32 a = 19000; int32 b = 19999; int32 c = 20000; }", [
            "test.proto:2:23: Field numbers 19000 through 19999 are reserved for the protocol buffer library implementation.",
            "test.proto:2:40: Field numbers 19000 through 19999 are reserved for the protocol buffer library implementation.",
        ]),
        ErrorCase("reserved number", p3 + "message M {\n  reserved 5 to 9;\n  int32 a = 7;\n}", [
            "test.proto:4:13: Field \"a\" uses reserved number 7.",
        ]),
        ErrorCase("reserved name", p3 + "message M {\n  reserved \"a\";\n  int32 a = 1;\n}", [
            "test.proto:4:9: Field name \"a\" is reserved.",
        ]),
        ErrorCase("overlapping reserved ranges", p3 + "message M { reserved 1 to 5, 3; int32 a = 9; }", [
            "test.proto:2:30: Reserved range 3 to 3 overlaps with already-defined range 1 to 5.",
        ]),
        ErrorCase("unknown type", p3 + "message M {\n  Missing a = 1;\n}", [
            "test.proto:3:3: \"Missing\" is not defined.",
        ]),
        ErrorCase("not a type", p3 + "enum E { E0 = 0; }\nmessage M {\n  E0 a = 1;\n}", [
            "test.proto:4:3: \"E0\" is not a type.",
        ]),
        ErrorCase("compound name resolved in the inner scope", p3 + "package a;\nmessage B {}\nmessage M {\n  message a {}\n  a.B b = 1;\n}", [
            "test.proto:6:3: \"a.B\" is resolved to \"a.M.a.B\", which is not defined. The innermost scope is searched first in name resolution. Consider using a leading '.'(i.e., \".a.B\") to start from the outermost scope.",
        ]),
        ErrorCase("map key float", p3 + "message M { map<float, string> m = 1; }", [
            "test.proto:2:17: Key in map fields cannot be float/double, bytes or message types.",
        ]),
        ErrorCase("map key message", p3 + "message K {}\nmessage M { map<K, string> m = 1; }", [
            "test.proto:3:17: Key in map fields cannot be float/double, bytes or message types.",
        ]),
        ErrorCase("map key enum", p3 + "enum E { E0 = 0; }\nmessage M { map<E, string> m = 1; }", [
            "test.proto:3:17: Key in map fields cannot be enum types.",
        ]),
        ErrorCase("map with label", p2 + "message M { repeated map<string, string> m = 1; }", [
            "test.proto:2:13: Field labels (required/optional/repeated) are not allowed on map fields.",
        ]),
        ErrorCase("map in oneof", p3 + "message M { oneof o { map<string, string> m = 1; } }", [
            "test.proto:2:23: Map fields are not allowed in oneofs.",
        ]),
        ErrorCase("label in oneof", p3 + "message M { oneof o { repeated int32 a = 1; } }", [
            "test.proto:2:23: Fields in oneofs must not have labels (required / optional / repeated).",
        ]),
        ErrorCase("proto3 first enum value", p3 + "enum E {\n  ONE = 1;\n}", [
            "test.proto:3:3: The first enum value must be zero in proto3.",
        ]),
        ErrorCase("proto3 required", p3 + "message M { required int32 a = 1; }", [
            "test.proto:2:13: Required fields are not allowed in proto3.",
        ]),
        ErrorCase("proto3 default", p3 + "message M { int32 a = 1 [default = 5]; }", [
            "test.proto:2:26: Explicit default values are not allowed in proto3.",
        ]),
        ErrorCase("proto2 missing label", p2 + "message M { int32 a = 1; }", [
            "test.proto:2:13: Expected \"required\", \"optional\", or \"repeated\".",
        ]),
        ErrorCase("default of the wrong kind", p2 + "message M {\n  optional int32 a = 1 [default = \"x\"];\n  optional uint32 b = 2 [default = -1];\n  optional int32 c = 3 [default = 2147483648];\n  optional bool d = 4 [default = 1];\n}", [
            "test.proto:3:35: Expected integer for field default value.",
            "test.proto:4:37: Unsigned field can't have negative default value.",
            "test.proto:5:35: Integer out of range.",
            "test.proto:6:34: Expected \"true\" or \"false\".",
        ]),
        ErrorCase("enum default not a value", p2 + "enum E { A = 1; }\nmessage M { optional E e = 1 [default = B]; }", [
            "test.proto:3:41: Enum type \"E\" has no value named \"B\".",
        ]),
        ErrorCase("packed on strings", p3 + "message M { repeated string s = 1 [packed = true]; }", [
            "test.proto:2:29: [packed = true] can only be specified for repeated primitive fields.",
        ]),
        ErrorCase("enum alias without allow_alias", p3 + "enum E {\n  A = 0;\n  B = 0;\n}", [
            "test.proto:4:3: \"B\" uses the same enum value as \"A\". If this is intended, set 'option allow_alias = true;' to the enum definition.",
        ]),
        ErrorCase("allow_alias without alias", p3 + "enum E { option allow_alias = true; A = 0; B = 1; }", [
            "test.proto:2:6: \"E\" declares support for enum aliases but no enum values share field numbers. Please remove the unnecessary 'option allow_alias = true;' declaration.",
        ]),
        ErrorCase("enum value scoping", p3 + "enum E { A = 0; }\nenum F { A = 0; }", [
            "test.proto:3:10: \"A\" is already defined. Note that enum values use C++ scoping rules, meaning that enum values are siblings of their type, not children of it.  Therefore, \"A\" must be unique within global scope, not just within \"F\".",
        ]),
        ErrorCase("enum names equal without the prefix", p3 + "enum MyEnum {\n  option allow_alias = true;\n  MY_ENUM_FOO = 0;\n  FOO = 1;\n  MYENUM_BAR = 2;\n  bar = 2;\n}", [
            "test.proto:5:3: Enum name FOO has the same name as MY_ENUM_FOO if you ignore case and strip out the enum name prefix (if any). This is error-prone and can lead to undefined behavior. Please avoid doing this. If you are using allow_alias, please assign the same numeric value to both enums.",
        ]),
        ErrorCase("enum reserved", p3 + "enum E { A = 0; B = 3; C = 4; reserved 3; reserved \"C\"; }", [
            "test.proto:2:17: Enum value \"B\" uses reserved number 3.",
            "test.proto:2:24: Enum value \"C\" is reserved.",
        ]),
        ErrorCase("enum value out of range", p3 + "enum E { A = 0; B = 2147483648; }", [
            "test.proto:2:21: Integer out of range.",
        ]),
        ErrorCase("JSON name conflict", p3 + "message M { int32 foo_bar = 1; int32 fooBar = 2; }", [
            "test.proto:2:38: The JSON camel-case name of field \"fooBar\" conflicts with field \"foo_bar\". This is not allowed in proto3.",
        ]),
        ErrorCase("proto2 enum in proto3", files: [
            "old.proto": p2 + "enum Old { O = 1; }",
            "test.proto": p3 + "import \"old.proto\";\nmessage M { Old o = 1; }",
        ], [
            "test.proto:3:13: Enum type \"Old\" is not a proto3 enum, but is used in \"M\" which is a proto3 message type.",
        ]),
        ErrorCase("extension ranges", p3 + "message M { int32 a = 1; extensions 1 to 10; }", [
            "test.proto:2:23: Extension range 1 to 10 includes field \"a\" (1).",
            "test.proto:2:37: Extension ranges are not allowed in proto3.",
        ]),
        ErrorCase("group", p2 + "message M {\n  optional group Result = 1 { optional int32 a = 2; }\n}", [
            "test.proto:3:12: Groups are not supported; use a nested message instead.",
        ]),
        ErrorCase("edition", "edition = \"2023\";\nmessage M {}", [
            "test.proto:1:1: Editions are not supported; use syntax = \"proto2\" or syntax = \"proto3\".",
        ]),
        ErrorCase("syntax identifier", "syntax = \"proto4\";", [
            "test.proto:1:10: Unrecognized syntax identifier \"proto4\".  This parser only recognizes \"proto2\" and \"proto3\".",
        ]),
        ErrorCase("missing import", p3 + "import \"missing.proto\";\nmessage M {}", [
            "test.proto:2:8: Import \"missing.proto\" was not found.",
        ]),
        ErrorCase("import outside the roots", p3 + "import \"../secret.proto\";\nimport \"/etc/x.proto\";", [
            "test.proto:2:8: Import path \"../secret.proto\" must be relative, with no empty, \".\" or \"..\" components and no backslashes.",
            "test.proto:3:8: Import path \"/etc/x.proto\" must be relative, with no empty, \".\" or \"..\" components and no backslashes.",
        ]),
        ErrorCase("import cycle", files: [
            "a.proto": p3 + "import \"b.proto\";",
            "b.proto": p3 + "import \"a.proto\";",
        ], [
            "b.proto:2:8: File recursively imports itself: a.proto -> b.proto -> a.proto",
            "a.proto:2:8: Import \"b.proto\" was not found or had errors.",
        ]),
        ErrorCase("type from a file not imported", files: [
            "a.proto": p3 + "message A {}",
            "test.proto": p3 + "message M { A a = 1; }",
        ], [
            "test.proto:2:13: \"A\" seems to be defined in \"a.proto\", which is not imported by the file using it. To use it here, please add the necessary import.",
        ]),
        ErrorCase("symbol defined in two files", files: [
            "a.proto": p3 + "package p;\nmessage M {}",
            "test.proto": p3 + "package p;\nmessage M {}",
        ], [
            "test.proto:3:9: \"p.M\" is already defined in file \"a.proto\".",
        ]),
        ErrorCase("method types", p3 + "enum E { Z = 0; }\nmessage R {}\nservice S {\n  rpc M(E) returns (Nope);\n}", [
            "test.proto:5:9: \"E\" is not a message type.",
            "test.proto:5:21: \"Nope\" is not defined.",
        ]),
        ErrorCase("unknown and mistyped options", p3 + "option java_pakage = \"x\";\nmessage M {\n  option deprecated = 1;\n  int32 a = 1 [packed = yes, lazy = true];\n}", [
            "test.proto:2:8: Option \"java_pakage\" unknown.",
            "test.proto:4:23: Value must be \"true\" or \"false\" for boolean option \"deprecated\".",
            "test.proto:5:25: Value must be \"true\" or \"false\" for boolean option \"packed\".",
        ]),
        ErrorCase("map_entry written", p3 + "message M { option map_entry = true; }", [
            "test.proto:2:20: map_entry should not be set explicitly. Use map<KeyType, ValueType> instead.",
        ]),
        ErrorCase("bad http rules", p3 + "import \"google/api/annotations.proto\";\nmessage R {}\nservice S {\n  rpc A(R) returns (R) { option (google.api.http) = { get: \"/a\" post: \"/b\" }; }\n  rpc B(R) returns (R) { option (google.api.http) = { get: \"/a\" verb: \"x\" body: 1 }; }\n  rpc C(R) returns (R) { option (google.api.http) = { body: \"*\" body: \"a\" }; }\n  rpc D(R) returns (R) { option (google.api.http) = \"GET /a\"; }\n}", [
            "test.proto:5:65: Field \"post\" is specified along with field \"get\", another member of oneof \"pattern\".",
            "test.proto:6:65: Message type \"google.api.HttpRule\" has no field named \"verb\".",
            "test.proto:6:75: Expected a string for field \"body\".",
            "test.proto:7:65: Non-repeated field \"body\" is specified multiple times.",
            "test.proto:8:53: Option \"(google.api.http)\" is a message. To set the entire message, use syntax like \"(google.api.http) = { <proto text format> }\". To set fields within it, use syntax like \"(google.api.http).foo = value\".",
        ]),
        ErrorCase("every syntax error, with recovery", p3 + "message M {\n  int32 a = 1\n  int32 b = ;\n  string c = ;\n}\nmessage N { int32 d = 1 }\nenum E { }", [
            "test.proto:4:3: Expected \";\", found \"int32\".",
            "test.proto:5:14: Expected field number, found \";\".",
            "test.proto:7:25: Expected \";\", found \"}\".",
            "test.proto:8:6: Enums must contain at least one value.",
        ]),
        ErrorCase("lexer errors", p3 + "message M {\n  string a = 1 [json_name = \"x\\qy\"];\n  string b = 2 [json_name = \"open\n];\n}\n/* never closed", [
            "test.proto:3:31: Invalid escape sequence in string literal.",
            "test.proto:4:29: Unexpected end of string.",
            "test.proto:7:1: End-of-file inside block comment.",
        ]),
        ErrorCase("unclosed message", p3 + "message M {\n  int32 a = 1;\n", [
            "test.proto:4:1: Reached end of input in message definition (missing '}').",
        ]),
    ]

    @Test(arguments: cases)
    func reportsEveryError(_ testCase: ErrorCase) {
        #expect(ParserHarness.errors(testCase.files) == testCase.errors)
    }
}

@Suite("Parser: hostile input")
struct HostileInputTests {
    @Test func deepNestingIsAnErrorNotACrash() {
        let messages = String(repeating: "message A { ", count: 10_000) + String(repeating: "} ", count: 10_000)
        #expect(ParserHarness.errors("syntax = \"proto3\";\n" + messages).first?.hasSuffix("Declarations are nested more than 64 levels deep.") == true)
        let rule = String(repeating: "additional_bindings { ", count: 10_000) + String(repeating: "} ", count: 10_000)
        let service = "syntax = \"proto3\"; message R {} service S { rpc M(R) returns (R) { option (google.api.http) = { \(rule) }; } }"
        #expect(!ParserHarness.errors(service).isEmpty)
    }

    @Test(arguments: ["\0\0\0", "message", "syntax = ", "\"unterminated", "message M { int32 a = 99999999999999999999; }", "enum E { A = -; }", "service S { rpc }", "}}}}", "option (a.b = 1;", "message M { map<string string> m = 1; }"])
    func malformedInputReportsErrors(_ text: String) {
        #expect(!ParserHarness.errors(text).isEmpty)
    }
}
