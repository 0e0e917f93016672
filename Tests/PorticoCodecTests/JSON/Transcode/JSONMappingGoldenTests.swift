import Testing

@testable import PorticoCodec

/// The proto3 JSON mapping, rule by rule: accepted inputs and the exact canonical output they give.
@Suite("JSON mapping golden: inputs and canonical outputs")
struct JSONMappingGoldenTests {
    static let scalars: [(String, String)] = [
        (#"{"fInt64":1}"#, #"{"fInt64":"1"}"#),
        (#"{"fInt64":"-9223372036854775808","fUint64":"18446744073709551615"}"#, #"{"fInt64":"-9223372036854775808","fUint64":"18446744073709551615"}"#),
        (#"{"fUint64":1.8446744073709551615e19}"#, #"{"fUint64":"18446744073709551615"}"#),
        (#"{"fDouble":"NaN","fFloat":"-Infinity"}"#, #"{"fDouble":"NaN","fFloat":"-Infinity"}"#),
        (#"{"fDouble":"Infinity"}"#, #"{"fDouble":"Infinity"}"#),
        (#"{"fFloat":0.1,"fDouble":0.1}"#, #"{"fDouble":0.1,"fFloat":0.1}"#),
        (#"{"fDouble":1e21,"fFloat":"1.5"}"#, #"{"fDouble":1e+21,"fFloat":1.5}"#),
        (#"{"fBytes":"YWJjMTIzIT8kKiYoKSctPUB-"}"#, #"{"fBytes":"YWJjMTIzIT8kKiYoKSctPUB+"}"#),
        (#"{"fBytes":"YQ"}"#, #"{"fBytes":"YQ=="}"#),
        (#"{"fEnum":"GREEN"}"#, #"{"fEnum":"GREEN"}"#),
        (#"{"fEnum":2}"#, #"{"fEnum":"GREEN"}"#),
        (#"{"fEnum":-3}"#, #"{"fEnum":"BLUE"}"#),
        (#"{"fEnum":7}"#, #"{"fEnum":7}"#),
        (#"{"f_int32":"1e3"}"#, #"{"fInt32":1000}"#),
        (#"{"fInt32":-2147483648,"fUint32":4294967295}"#, #"{"fInt32":-2147483648,"fUint32":4294967295}"#),
        (#"{"fString":"a\u0000b\"\\\/é\ud83d\ude00\n"}"#, "{\"fString\":\"a\\u0000b\\\"\\\\/é😀\\n\"}"),
        (#"{"fBool":false,"fInt32":0,"fString":"","fBytes":"","fEnum":"COLOR_UNSPECIFIED","fDouble":-0}"#, #"{}"#),
        (#"{"fSint32":-5,"fSfixed64":"-7","fFixed32":4294967295,"fFixed64":"1","fSint64":-9,"fSfixed32":-1}"#,
         #"{"fFixed64":"1","fFixed32":4294967295,"fSfixed32":-1,"fSfixed64":"-7","fSint32":-5,"fSint64":"-9"}"#),
        (#"{"fBool":true,"fInt32":null,"fString":null}"#, #"{"fBool":true}"#),
    ]

    @Test("scalars", arguments: scalars)
    func scalarValues(_ input: String, _ expected: String) throws {
        #expect(try JSONTestSchema.roundTrip(input, "jsontest.Scalars") == expected)
    }

    static let everything: [(String, String)] = [
        (#"{"choiceNull":null}"#, #"{"choiceNull":null}"#),
        (#"{"choiceInt":0}"#, #"{"choiceInt":0}"#),
        (#"{"choiceString":null,"choiceInt":3}"#, #"{"choiceInt":3}"#),
        (#"{"optInt":0,"optString":"","optEnum":"COLOR_UNSPECIFIED"}"#, #"{"optInt":0,"optString":"","optEnum":"COLOR_UNSPECIFIED"}"#),
        (#"{"customName":"x"}"#, #"{"customName":"x"}"#),
        (#"{"renamed_field":"x"}"#, #"{"customName":"x"}"#),
        (#"{"choiceItem":{}}"#, #"{"choiceItem":{}}"#),
        (#"{"order_items":[{"productId":"p","quantity":2},{}]}"#, #"{"orderItems":[{"productId":"p","quantity":2},{}]}"#),
        (#"{"recursive":{"recursive":{"optInt":1}}}"#, #"{"recursive":{"recursive":{"optInt":1}}}"#),
        (#"{"scalars":null,"optInt":null,"orderItems":null,"choiceItem":null}"#, #"{}"#),
        (#" {"scalars":{}} "#, #"{"scalars":{}}"#),
        ("", "{}"),
    ]

    @Test("messages, oneofs, optional, json_name, null", arguments: everything)
    func messages(_ input: String, _ expected: String) throws {
        #expect(try JSONTestSchema.roundTrip(input) == expected)
    }

    static let repeats: [(String, String)] = [
        (#"{"rInt64":[1,"2"],"rEnum":["RED",2,9],"rBool":[true,false],"rBytes":["AA=="],"rUnpacked":[1,2]}"#,
         #"{"rInt64":["1","2"],"rBool":[true,false],"rBytes":["AA=="],"rEnum":["RED","GREEN",9],"rUnpacked":[1,2]}"#),
        (#"{"rDouble":[],"rItem":[]}"#, #"{}"#),
        (#"{"rFloat":[0.1,"NaN"],"rString":["a",""],"rItem":[{"child":{}}]}"#, #"{"rFloat":[0.1,"NaN"],"rString":["a",""],"rItem":[{"child":{}}]}"#),
        (#"{"rUint64":["18446744073709551615"],"rSint64":[-1],"rFixed32":[0]}"#, #"{"rUint64":["18446744073709551615"],"rFixed32":[0],"rSint64":["-1"]}"#),
    ]

    @Test("repeated fields", arguments: repeats)
    func repeated(_ input: String, _ expected: String) throws {
        #expect(try JSONTestSchema.roundTrip(input, "jsontest.Repeats") == expected)
    }

    static let maps: [(String, String)] = [
        (#"{"mInt32":{"1":2,"-3":4},"mBool":{"true":"t","false":"f"},"mUint64":{"18446744073709551615":1.5}}"#,
         #"{"mInt32":{"1":2,"-3":4},"mUint64":{"18446744073709551615":1.5},"mBool":{"true":"t","false":"f"}}"#),
        (#"{"mFixed64":{"5":{"quantity":1}},"mFixed32":{"1":"RED"},"mSint32":{"-1":"AQ=="}}"#,
         #"{"mSint32":{"-1":"AQ=="},"mFixed32":{"1":"RED"},"mFixed64":{"5":{"quantity":1}}}"#),
        (#"{"mValue":{"a":null,"b":[1,"x",{"c":true}]},"mTimestamp":{"t":"1970-01-01T00:00:00Z"}}"#,
         #"{"mValue":{"a":null,"b":[1,"x",{"c":true}]},"mTimestamp":{"t":"1970-01-01T00:00:00Z"}}"#),
        (#"{"mInt64":{"-9223372036854775808":""},"mStringString":{"":"é"}}"#, #"{"mStringString":{"":"é"},"mInt64":{"-9223372036854775808":""}}"#),
        (#"{"mFixed64":{"1":{}}}"#, #"{"mFixed64":{"1":{}}}"#),
        (#"{"mInt32":{}}"#, #"{}"#),
    ]

    @Test("maps of every key type, keys as strings", arguments: maps)
    func mapValues(_ input: String, _ expected: String) throws {
        #expect(try JSONTestSchema.roundTrip(input, "jsontest.Maps") == expected)
    }

    static let wellKnown: [(String, String)] = [
        (#"{"timestamp":"1972-01-01T10:00:20.021Z","duration":"1.000340012s","fieldMask":"f.fooBar,h"}"#,
         #"{"timestamp":"1972-01-01T10:00:20.021Z","duration":"1.000340012s","fieldMask":"f.fooBar,h"}"#),
        (#"{"timestamp":"1972-01-01T11:00:20.02100+01:00","duration":"-0.5s"}"#, #"{"timestamp":"1972-01-01T10:00:20.021Z","duration":"-0.500s"}"#),
        (#"{"timestamp":"1970-01-01T00:00:00Z","duration":"0s","fieldMask":""}"#, #"{"timestamp":"1970-01-01T00:00:00Z","duration":"0s","fieldMask":""}"#),
        (#"{"structValue":{"a":{"b":1},"c":[]},"value":"s","listValue":[1,null,false]}"#,
         #"{"structValue":{"a":{"b":1},"c":[]},"value":"s","listValue":[1,null,false]}"#),
        (#"{"structValue":{}}"#, #"{"structValue":{}}"#),
        (#"{"value":null}"#, #"{"value":null}"#),
        (#"{"value":{"x":1.5e300}}"#, #"{"value":{"x":1.5e+300}}"#),
        (#"{"nullValue":null}"#, #"{}"#),
        (#"{"doubleWrapper":0,"int64Wrapper":"5","boolWrapper":false,"stringWrapper":"","bytesWrapper":"AQ==","uint32Wrapper":7}"#,
         #"{"doubleWrapper":0,"int64Wrapper":"5","uint32Wrapper":7,"boolWrapper":false,"stringWrapper":"","bytesWrapper":"AQ=="}"#),
        (#"{"floatWrapper":"NaN","uint64Wrapper":"1","int32Wrapper":null}"#, #"{"floatWrapper":"NaN","uint64Wrapper":"1"}"#),
        (#"{"empty":{}}"#, #"{"empty":{}}"#),
        (#"{"any":{"@type":"type.googleapis.com/google.protobuf.Duration","value":"1.212s"}}"#,
         #"{"any":{"@type":"type.googleapis.com/google.protobuf.Duration","value":"1.212s"}}"#),
        (#"{"any":{"productId":"p","@type":"type.googleapis.com/jsontest.Item"}}"#,
         #"{"any":{"@type":"type.googleapis.com/jsontest.Item","productId":"p"}}"#),
        (#"{"any":{"@type":"type.googleapis.com/google.protobuf.Empty"}}"#, #"{"any":{"@type":"type.googleapis.com/google.protobuf.Empty"}}"#),
        (#"{"any":{"@type":"type.googleapis.com/google.protobuf.Value","value":{"a":[1]}}}"#,
         #"{"any":{"@type":"type.googleapis.com/google.protobuf.Value","value":{"a":[1]}}}"#),
        (#"{"any":{"@type":"type.googleapis.com/google.protobuf.Any","value":{"@type":"type.googleapis.com/google.protobuf.Int32Value","value":3}}}"#,
         #"{"any":{"@type":"type.googleapis.com/google.protobuf.Any","value":{"@type":"type.googleapis.com/google.protobuf.Int32Value","value":3}}}"#),
        (#"{"any":{}}"#, #"{"any":{}}"#),
        (#"{"rValue":[null,1],"rInt32Wrapper":[1,0],"rTimestamp":["0001-01-01T00:00:00Z"]}"#,
         #"{"rTimestamp":["0001-01-01T00:00:00Z"],"rValue":[null,1],"rInt32Wrapper":[1,0]}"#),
    ]

    @Test("well-known types", arguments: wellKnown)
    func wellKnownTypes(_ input: String, _ expected: String) throws {
        #expect(try JSONTestSchema.roundTrip(input, "jsontest.WellKnown") == expected)
    }
}
