import NIOCore
import PorticoCore
import Testing

@testable import PorticoCodec

/// Per-call options and API-version name tables.
@Suite("JSON transcoder options and versions")
struct JSONTranscoderOptionsTests {
    @Test("emit unpopulated fields: every field without presence, with its default")
    func emitUnpopulated() throws {
        let options = JSONTranscoder.Options(emitUnpopulatedFields: true)
        #expect(try JSONTestSchema.roundTrip("{}", "jsontest.Scalars", output: options) ==
            #"{"fDouble":0,"fFloat":0,"fInt64":"0","fUint64":"0","fInt32":0,"fFixed64":"0","fFixed32":0,"fBool":false,"fString":"","fBytes":"","fUint32":0,"fSfixed32":0,"fSfixed64":"0","fSint32":0,"fSint64":"0","fEnum":"COLOR_UNSPECIFIED"}"#)
        #expect(try JSONTestSchema.roundTrip("{}", output: options) == #"{"customName":"","orderItems":[]}"#)
        #expect(try JSONTestSchema.roundTrip(#"{"mInt32":{"1":0}}"#, "jsontest.Maps", output: options).hasPrefix(#"{"mStringString":{},"mInt32":{"1":0},"#))
    }

    @Test("enums as numbers, proto field names")
    func enumsAndNames() throws {
        #expect(try JSONTestSchema.roundTrip(#"{"fEnum":"GREEN","fInt32":1}"#, "jsontest.Scalars", output: .init(enumsAsNumbers: true)) == #"{"fInt32":1,"fEnum":2}"#)
        #expect(try JSONTestSchema.roundTrip(#"{"customName":"x"}"#, "jsontest.Everything", output: .init(useProtoFieldNames: true)) == #"{"renamed_field":"x"}"#)
        #expect(try JSONTestSchema.roundTrip(#"{"fInt32":1}"#, "jsontest.Scalars", output: .init(useProtoFieldNames: true)) == #"{"f_int32":1}"#)
    }

    @Test("ignore unknown fields skips unknown keys and unknown enum names")
    func ignoreUnknown() throws {
        let options = JSONTranscoder.Options(ignoreUnknownFields: true)
        #expect(try JSONTestSchema.roundTrip(#"{"bogus":{"x":[1,{"y":null}]},"fInt32":1,"fEnum":"PURPLE"}"#, "jsontest.Scalars", input: options) == #"{"fInt32":1}"#)
        #expect(try JSONTestSchema.roundTrip(#"{"rEnum":["PURPLE","RED"]}"#, "jsontest.Repeats", input: options) == #"{"rEnum":["RED"]}"#)
    }

    @Test("pretty output")
    func pretty() throws {
        let output = try JSONTestSchema.roundTrip(#"{"orderItems":[{"productId":"p","quantity":2}],"scalars":{}}"#, output: .init(prettyOutput: true))
        #expect(output == """
            {
              "scalars": {},
              "orderItems": [
                {
                  "productId": "p",
                  "quantity": 2
                }
              ]
            }
            """)
    }

    @Test("a version's renames apply on input and output, nested and in lists; proto names are accepted")
    func versionNames() throws {
        let v1 = JSONTranscoder.Options(apiVersion: "v1")
        let input = #"{"items":[{"product_id":"p","qty":2}],"recursive":{"items":[{"quantity":1}]}}"#
        #expect(try JSONTestSchema.roundTrip(input, input: v1, output: v1) == #"{"items":[{"product_id":"p","qty":2}],"recursive":{"items":[{"qty":1}]}}"#)
        #expect(try JSONTestSchema.roundTrip(input, input: v1) == #"{"orderItems":[{"productId":"p","quantity":2}],"recursive":{"orderItems":[{"quantity":1}]}}"#)
        #expect(JSONTestSchema.inputError(#"{"orderItems":[]}"#, options: v1) == #"unknown field "orderItems""#)
        #expect(JSONTestSchema.inputError(#"{"items":[{"productId":"p"}]}"#, options: v1) == #"items[0]: unknown field "productId""#)
        #expect(try JSONTestSchema.roundTrip(#"{"order_items":[{"qty":3}]}"#, input: v1, output: .init(apiVersion: "v3")) == #"{"orderItems":[{"quantity":3}]}"#)
    }
}

/// Path and query bindings: a dotted field path set from a string.
@Suite("JSON transcoder field-path bindings")
struct JSONFieldBindingTests {
    private func binding(_ path: String, _ value: String) -> JSONTranscoder.FieldBinding {
        JSONTranscoder.FieldBinding(path: path, value: value)
    }

    @Test("every bindable kind, by proto or JSON name, lists by appending")
    func bindings() throws {
        let bindings = [
            binding("scalars.f_int32", "5"), binding("scalars.fEnum", "GREEN"), binding("scalars.f_int64", "-1"),
            binding("scalars.f_bytes", "YWJjMTIzIT8kKiYoKSctPUB-"), binding("scalars.f_bool", "true"), binding("scalars.fDouble", "NaN"),
            binding("wellKnown.timestamp", "1972-01-01T10:00:20.021Z"), binding("well_known.duration", "1.5s"),
            binding("well_known.field_mask", "floatValue,doubleValue"), binding("well_known.int32_wrapper", "-1"),
            binding("well_known.string_wrapper", "hi"), binding("well_known.struct_value", #"{"a":{"b":1}}"#),
            binding("repeats.r_string", "A"), binding("repeats.r_string", "B"), binding("repeats.rEnum", "1"),
            binding("choice_string", "x"), binding("order_items", "ignored"),
        ].filter { $0.path != "order_items" }
        let output = try JSONTestSchema.roundTrip(#"{"scalars":{"fString":"body"}}"#, bindings: bindings)
        #expect(output == #"{"scalars":{"fDouble":"NaN","fInt64":"-1","fInt32":5,"fBool":true,"fString":"body","fBytes":"YWJjMTIzIT8kKiYoKSctPUB+","fEnum":"GREEN"},"repeats":{"rString":["A","B"],"rEnum":["RED"]},"wellKnown":{"timestamp":"1972-01-01T10:00:20.021Z","duration":"1.500s","fieldMask":"floatValue,doubleValue","structValue":{"a":{"b":1}},"int32Wrapper":-1,"stringWrapper":"hi"},"choiceString":"x"}"#)
    }

    @Test("a bound string is taken as it is: quotes, backslashes, control characters, non-ASCII and nothing at all")
    func stringsThatNeedEscapes() throws {
        let values = ["plain-id_42", #"a"quoted"\path"#, "tab\there\u{1}", "naïve ☃", ""]
        for value in values {
            let output = try JSONTestSchema.roundTrip("{}", bindings: [binding("scalars.f_string", value)])
            var expected = JSONWriter()
            expected.beginObject()
            expected.key("scalars")
            expected.beginObject()
            if !value.isEmpty {
                expected.key("fString")
                expected.string(value)
            }
            expected.endObject()
            expected.endObject()
            #expect(output == String(decoding: expected.bytes, as: UTF8.self), "\(value)")
        }
    }

    @Test("a binding overrides the body's value; a version's JSON names bind too")
    func overrideAndVersion() throws {
        #expect(try JSONTestSchema.roundTrip(#"{"optInt":1}"#, bindings: [binding("opt_int", "2")]) == #"{"optInt":2}"#)
        let v1 = JSONTranscoder.Options(apiVersion: "v1")
        #expect(try JSONTestSchema.roundTrip("", "jsontest.Item", input: v1, bindings: [binding("qty", "4"), binding("child.product_id", "c")]) == #"{"quantity":4,"child":{"productId":"c"}}"#)
    }

    static let rejected: [(String, String, String)] = [
        ("scalars.f_int32", "abc", #"scalars.f_int32: expected an integer, got "abc""#),
        ("scalars.f_uint32", "-1", #"scalars.f_uint32: "-1" is out of range for uint32"#),
        ("scalars.f_bool", "yes", "scalars.f_bool: expected true or false, got a string"),
        ("scalars.f_enum", "PURPLE", #"scalars.f_enum: unknown value "PURPLE" for enum jsontest.Color"#),
        ("scalars.nope", "1", #"unknown field "scalars.nope""#),
        ("nope", "1", #"unknown field "nope""#),
        ("scalars", "1", #"scalars: expected an object, got a string"#),
        ("order_items.quantity", "1", #"order_items.quantity: "order_items" is not a singular message field"#),
        ("maps.m_int32", "1", "maps.m_int32: a map field cannot be bound to a single value"),
        ("well_known.timestamp", "yesterday", #"well_known.timestamp: invalid Timestamp "yesterday": expected RFC 3339 like "1972-01-01T10:00:20.021Z""#),
        ("well_known.struct_value", "{", "well_known.struct_value: invalid JSON: unexpected end of JSON input in an object (at byte 1)"),
    ]

    @Test("bad bindings are clear errors", arguments: rejected)
    func rejectedBinding(_ path: String, _ value: String, _ expected: String) {
        #expect(JSONTestSchema.inputError("{}", bindings: [binding(path, value)]) == expected)
    }

    @Test("a path resolved when the route compiles binds the same field as its names")
    func resolvedPaths() throws {
        let transcoder = JSONTestSchema.transcoder
        let message = try transcoder.resolve("jsontest.Everything")
        let resolved = try transcoder.resolveFieldPath(["scalars", "fInt32"], in: message)
        let byPosition = try transcoder.protobuf(
            fromJSON: ByteBuffer(), message: "jsontest.Everything",
            bindings: [JSONTranscoder.FieldBinding(path: "scalars.f_int32", value: "7", resolvedPath: resolved)]
        )
        let byName = try transcoder.protobuf(fromJSON: ByteBuffer(), message: "jsontest.Everything", bindings: [binding("scalars.f_int32", "7")])
        #expect(byPosition == byName)
        #expect(byPosition.readableBytes > 0)
    }

    @Test("two values for a singular field, and a second oneof member, are errors")
    func conflicts() {
        #expect(JSONTestSchema.inputError("{}", bindings: [binding("opt_int", "1"), binding("optInt", "2")]) == "optInt: too many values for a singular field")
        #expect(JSONTestSchema.inputError("{}", bindings: [binding("opt_int", "1"), binding("opt_int", "2")]) == "opt_int: too many values for a singular field")
        #expect(JSONTestSchema.inputError(#"{"choiceInt":1}"#, bindings: [binding("choice_string", "x")]) == #"choice_string: another field of oneof "choice" is already set"#)
    }

    @Test("binding paths are checked at configuration time, per version")
    func pathCheck() throws {
        let transcoder = JSONTestSchema.transcoder
        func check(_ path: String, message: String = "jsontest.Everything", apiVersion: String? = nil) throws(GatewayError) {
            let names = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            _ = try transcoder.resolveFieldPath(names, in: try transcoder.resolve(message, apiVersion: apiVersion))
        }
        try check("scalars.f_int32")
        try check("wellKnown.timestamp")
        try check("repeats.rString")
        try check("qty", message: "jsontest.Item", apiVersion: "v1")
        let failures: [(String, String?, String)] = [
            ("scalars.nope", nil, #"unknown field "scalars.nope""#),
            ("qty", nil, #"unknown field "qty""#),
            ("order_items.quantity", nil, #"order_items.quantity: "order_items" is not a singular message field"#),
            ("maps.m_int32", nil, "maps.m_int32: a map field cannot be bound to a single value"),
        ]
        for (path, version, expected) in failures {
            let message = path == "qty" ? "jsontest.Item" : "jsontest.Everything"
            #expect(throws: (any Error).self) { try check(path, message: message, apiVersion: version) }
            do {
                try check(path, message: message, apiVersion: version)
            } catch {
                #expect(error.message == expected)
            }
        }
    }

    @Test("a request workspace can be reused across calls")
    func workspaceReuse() throws {
        let transcoder = JSONTestSchema.transcoder
        let workspace = WireWorkspace(pool: JSONTestSchema.descriptors)
        for index in 0..<50 {
            let json = #"{"productId":"p\#(index)","quantity":\#(index)}"#
            let binary = try transcoder.protobuf(fromJSON: ByteBuffer(string: json), message: "jsontest.Item", workspace: workspace)
            let back = try transcoder.json(fromProtobuf: binary, message: "jsontest.Item", workspace: workspace)
            #expect(String(buffer: back) == (index == 0 ? #"{"productId":"p0"}"# : json))
            workspace.reset()
        }
    }
}
