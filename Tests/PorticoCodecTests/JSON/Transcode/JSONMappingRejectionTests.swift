import NIOCore
import PorticoCore
import Testing

@testable import PorticoCodec

/// Inputs the mapping rejects, each with the exact client message (`INVALID_ARGUMENT`).
@Suite("JSON mapping golden: rejected inputs and their messages")
struct JSONMappingRejectionTests {
    static let rejected: [(String, String, String)] = [
        ("jsontest.Scalars", #"{"fInt32":"abc"}"#, #"fInt32: expected an integer, got "abc""#),
        ("jsontest.Everything", #"{"orderItems":[{},{},{"quantity":"abc"}]}"#, #"orderItems[2].quantity: expected an integer, got "abc""#),
        ("jsontest.Scalars", #"{"fInt32":1.5}"#, "fInt32: expected an integer, got 1.5"),
        ("jsontest.Scalars", #"{"fInt32":2147483648}"#, "fInt32: 2147483648 is out of range for int32"),
        ("jsontest.Scalars", #"{"fUint32":-1}"#, "fUint32: -1 is out of range for uint32"),
        ("jsontest.Scalars", #"{"fInt64":"9223372036854775808"}"#, #"fInt64: "9223372036854775808" is out of range for int64"#),
        ("jsontest.Scalars", #"{"fFloat":1e39}"#, "fFloat: 1e39 is out of range for float"),
        ("jsontest.Scalars", #"{"fDouble":1e400}"#, "fDouble: 1e400 is out of range for double"),
        ("jsontest.Scalars", #"{"fDouble":"nan"}"#, #"fDouble: expected a number, got "nan""#),
        ("jsontest.Scalars", #"{"bogus":1}"#, #"unknown field "bogus""#),
        ("jsontest.Everything", #"{"scalars":{"bogus":1}}"#, #"scalars: unknown field "bogus""#),
        ("jsontest.Scalars", #"{"fEnum":"PURPLE"}"#, "fEnum: unknown value \"PURPLE\" for enum jsontest.Color"),
        ("jsontest.Scalars", #"{"fEnum":true}"#, "fEnum: expected an enum name or number, got a boolean"),
        ("jsontest.Everything", #"{"choiceString":"a","choiceInt":1}"#,
         #"fields "choiceString" and "choiceInt" are both set, but belong to the same oneof "choice""#),
        ("jsontest.Everything", #"{"optInt":1,"opt_int":2}"#, #"field "opt_int" appears more than once"#),
        ("jsontest.Scalars", #"{"fInt32":1,"fInt32":1}"#, #"field "fInt32" appears more than once"#),
        ("jsontest.Scalars", #"{"fBytes":"!!"}"#, "fBytes: invalid base64: unexpected character at position 0"),
        ("jsontest.WellKnown", #"{"timestamp":"2000-01-01"}"#, #"timestamp: invalid Timestamp "2000-01-01": expected RFC 3339 like "1972-01-01T10:00:20.021Z""#),
        ("jsontest.WellKnown", #"{"timestamp":"10000-01-01T00:00:00Z"}"#, #"timestamp: invalid Timestamp "10000-01-01T00:00:00Z": expected RFC 3339 like "1972-01-01T10:00:20.021Z""#),
        ("jsontest.WellKnown", #"{"duration":"315576000001s"}"#, #"duration: Duration "315576000001s" is outside ±315576000000s"#),
        ("jsontest.WellKnown", #"{"duration":1}"#, #"duration: expected a duration string like "1.5s", got a number"#),
        ("jsontest.WellKnown", #"{"fieldMask":"a_b"}"#, #"fieldMask: invalid FieldMask path "a_b": a JSON path must not contain '_'"#),
        ("jsontest.WellKnown", #"{"value":1e400}"#, "value: 1e400 is out of range for double"),
        ("jsontest.WellKnown", #"{"structValue":[]}"#, "structValue: expected an object, got an array"),
        ("jsontest.WellKnown", #"{"structValue":{"a":1,"a":2}}"#, #"structValue["a"]: map key appears more than once"#),
        ("jsontest.WellKnown", #"{"int32Wrapper":"x"}"#, #"int32Wrapper: expected an integer, got "x""#),
        ("jsontest.Repeats", #"{"rInt32":[1,null]}"#, "rInt32[1]: null is not allowed in a list"),
        ("jsontest.Repeats", #"{"rInt32":{}}"#, "rInt32: expected an array, got an object"),
        ("jsontest.Repeats", #"{"rItem":[{"quantity":1},{"child":{"quantity":[]}}]}"#, "rItem[1].child.quantity: expected an integer, got an array"),
        ("jsontest.Everything", #"{"scalars":[]}"#, "scalars: expected an object, got an array"),
        ("jsontest.Everything", "[]", "expected an object, got an array"),
        ("jsontest.Everything", "null", "expected an object, got null"),
        ("jsontest.Maps", #"{"mInt32":{"x":1}}"#, #"mInt32["x"]: expected an integer, got "x""#),
        ("jsontest.Maps", #"{"mBool":{"yes":"a"}}"#, #"mBool["yes"]: expected a map key true or false"#),
        ("jsontest.Maps", #"{"mInt32":{"1":null}}"#, #"mInt32["1"]: null is not allowed as a map value"#),
        ("jsontest.Maps", #"{"mInt32":{"1":1,"1":2}}"#, #"mInt32["1"]: map key appears more than once"#),
        ("jsontest.WellKnown", #"{"any":{"@type":"type.googleapis.com/nope.Nope"}}"#, #"any: unknown type "type.googleapis.com/nope.Nope" in "@type""#),
        ("jsontest.WellKnown", #"{"any":{"productId":"p"}}"#, #"any: an Any with fields needs "@type""#),
        ("jsontest.WellKnown", #"{"any":{"@type":"type.googleapis.com/jsontest.Item","bogus":1}}"#, #"any: unknown field "bogus""#),
        ("jsontest.Scalars", #"{"fString":"\uD800"}"#, #"fString: invalid JSON: lone high surrogate \uD800 in a string (at byte 12)"#),
        ("jsontest.Scalars", #"{"fInt32":1} x"#, "invalid JSON: unexpected 'x' after the JSON value (at byte 13)"),
        ("jsontest.Scalars", #"{"fInt32":1,}"#, "invalid JSON: expected a string key in an object, got '}' (at byte 12)"),
        ("jsontest.Scalars", #"{"fBool":"true"}"#, "fBool: expected true or false, got a string"),
        ("jsontest.Scalars", #"{"fString":1}"#, "fString: expected a string, got a number"),
        ("jsontest.Scalars", "{\"fString\":\"a\u{0}\"}", "fString: invalid JSON: control character 0x0 in a string must be escaped (at byte 13)"),
    ]

    @Test("rejected with the JSON path and a plain reason", arguments: rejected)
    func rejectedInput(_ message: String, _ input: String, _ expected: String) {
        #expect(JSONTestSchema.inputError(input, message) == expected)
    }

    @Test("100,000 nested objects or arrays: an error, not a crash")
    func deepNesting() throws {
        let objects = String(repeating: #"{"recursive":"#, count: 100_000)
        let objectError = try #require(JSONTestSchema.inputError(objects))
        #expect(objectError.hasSuffix("invalid JSON: JSON nested deeper than 100 levels (at byte 1300)"))
        let arrays = #"{"value":"# + String(repeating: "[", count: 100_000)
        let arrayError = try #require(JSONTestSchema.inputError(arrays, "jsontest.WellKnown"))
        #expect(arrayError.hasSuffix("invalid JSON: JSON nested deeper than 100 levels (at byte 108)"))
        let unknown = #"{"bogus":"# + String(repeating: "[", count: 100_000)
        let unknownError = JSONTestSchema.inputError(unknown, options: .init(ignoreUnknownFields: true))
        #expect(unknownError == "invalid JSON: JSON nested deeper than 100 levels (at byte 108)")
    }

    @Test("huge numbers are range errors")
    func hugeNumbers() {
        let digits = String(repeating: "9", count: 100_000)
        #expect(JSONTestSchema.inputError(#"{"fInt64":\#(digits)}"#, "jsontest.Scalars")?.hasSuffix("is out of range for int64") == true)
        #expect(JSONTestSchema.inputError(#"{"fDouble":\#(digits)}"#, "jsontest.Scalars")?.hasSuffix("is out of range for double") == true)
        #expect(JSONTestSchema.inputError(#"{"fInt32":1e999999999999999999}"#, "jsontest.Scalars") == "fInt32: 1e999999999999999999 is out of range for int32")
        #expect(JSONTestSchema.inputError(#"{"fDouble":1e-999999999999999999}"#, "jsontest.Scalars") == nil)
    }

    @Test("invalid UTF-8 in a key or a value is an error")
    func invalidUTF8() throws {
        for bytes: [UInt8] in [[0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D], Array(#"{"fString":""#.utf8) + [0xC3, 0x28, 0x22, 0x7D]] {
            do {
                _ = try JSONTestSchema.transcoder.protobuf(fromJSON: ByteBuffer(bytes: bytes), message: "jsontest.Scalars")
                Issue.record("accepted invalid UTF-8")
            } catch {
                #expect(error.code == .invalidArgument)
                #expect(error.message.contains("invalid UTF-8 in a string"))
            }
        }
    }

    @Test("an unknown message name is a gateway error, not a client error")
    func unknownMessage() {
        #expect(JSONTestSchema.inputError("{}", "nope.Nope")?.hasPrefix("unexpected") == true)
    }

    @Test("a backend's chain of 5,000 nested Any values is an error, not a crash")
    func nestedAnyChain() throws {
        let url = Array("type.googleapis.com/google.protobuf.Any".utf8)
        var message: [UInt8] = []
        for _ in 0..<5_000 {
            var next: [UInt8] = [0x0A, UInt8(url.count)] + url + [0x12]
            var length = message.count
            while length >= 0x80 {
                next.append(UInt8(length & 0x7F | 0x80))
                length >>= 7
            }
            next.append(UInt8(length))
            message = next + message
        }
        do {
            _ = try JSONTestSchema.transcoder.json(fromProtobuf: ByteBuffer(bytes: message), message: "google.protobuf.Any")
            Issue.record("accepted 5,000 nested Any values")
        } catch {
            #expect(error.code == .internal)
            #expect(error.cause?.hasSuffix("messages nested deeper than 1000 levels") == true)
        }
    }
}
