import Testing

@testable import PorticoCodec

private func written(pretty: Bool = false, _ write: (inout JSONWriter) -> Void) -> String {
    var writer = JSONWriter(pretty: pretty)
    write(&writer)
    return String(decoding: writer.bytes, as: UTF8.self)
}

@Suite("JSON writer: escaping, numbers, layout")
struct JSONWriterTests {
    static let escapes: [(String, String)] = [
        ("plain", "\"plain\""),
        ("q\"b\\s/", "\"q\\\"b\\\\s/\""),
        ("\u{8}\u{c}\n\r\t", "\"\\b\\f\\n\\r\\t\""),
        ("\u{0}\u{1}\u{1f}\u{7f}", "\"\\u0000\\u0001\\u001f\u{7f}\""),
        ("é€😀<>&\u{2028}", "\"é€😀<>&\u{2028}\""),
    ]

    @Test("strings are escaped as protobuf's printers do", arguments: escapes)
    func escaping(_ value: String, _ expected: String) {
        #expect(written { $0.string(value) } == expected)
    }

    static let doubles: [(Double, String)] = [
        (0, "0"), (-0.0, "-0"), (1, "1"), (-1.5, "-1.5"), (0.1, "0.1"), (100, "100"),
        (1e20, "100000000000000000000"), (1e21, "1e+21"), (1.5e300, "1.5e+300"),
        (0.000001, "0.000001"), (1e-7, "1e-7"), (1.2345e-7, "1.2345e-7"), (.leastNonzeroMagnitude, "5e-324"),
        (123456.789, "123456.789"), (9007199254740992, "9007199254740992"),
        (1.7976931348623157e308, "1.7976931348623157e+308"),
        (.nan, "\"NaN\""), (.infinity, "\"Infinity\""), (-.infinity, "\"-Infinity\""),
    ]

    @Test("doubles in their shortest round-trip form", arguments: doubles)
    func doubleFormat(_ value: Double, _ expected: String) {
        #expect(written { $0.number(value) } == expected)
    }

    /// Doubles the short-decimal path writes (prices, thirds, decade bounds, integers) and doubles it leaves
    /// to the general formatter, from a seeded generator.
    static func sampledDoubles() -> [Double] {
        var generator = SplitMix64(seed: 0x5EED_D0B1)
        var values: [Double] = [1e-6, 9.999999999999999e-7, 1e15, 999999999999999, 0.1 + 0.2, 1.0 / 3, 2.675, .leastNonzeroMagnitude]
        for index in 0..<20_000 {
            values.append(Double(index) * 1.25 + 0.99)
            values.append(Double(index) / 3)
            let digits = Double(Int64.random(in: 1...999_999_999_999_999, using: &generator))
            values.append(digits / [1, 10, 100, 1e4, 1e7, 1e12, 1e15, 1e20][index % 8])
            values.append(Double(bitPattern: generator.next() & 0x7FFF_FFFF_FFFF_FFFF))
            values.append(Double.random(in: -1e6...1e6, using: &generator))
        }
        return values
    }

    @Test("the short-decimal path writes exactly what the general formatter writes")
    func shortDecimalsAgreeWithDescription() {
        for value in Self.sampledDoubles() where value.isFinite {
            var expected: [UInt8] = []
            ShortestNumberFormat.append(digitsOf: value.description, to: &expected)
            let actual = written { $0.number(value) }
            if actual != String(decoding: expected, as: UTF8.self) {
                Issue.record("\(value.bitPattern): wrote \(actual), expected \(String(decoding: expected, as: UTF8.self))")
                return
            }
        }
    }

    static let floats: [(Float, String)] = [
        (0.1, "0.1"), (1.1, "1.1"), (3.4028235e38, "3.4028235e+38"), (.leastNonzeroMagnitude, "1.4013e-45"), (Float(bitPattern: 3), "4.2039e-45"), (.leastNormalMagnitude, "1.1754944e-38"), (123456.7, "123456.7"),
        (214188.125, "214188.12"), (214188.375, "214188.38"), (16777216, "16777216"),
        (-2.5, "-2.5"), (.nan, "\"NaN\""),
    ]

    @Test("floats in the fewest digits (at least 6) that read back, as json_format writes them", arguments: floats)
    func floatFormat(_ value: Float, _ expected: String) {
        #expect(written { $0.number(value) } == expected)
    }

    @Test("integers: 32-bit as numbers, 64-bit as strings")
    func integers() {
        #expect(written { $0.number(Int64(Int32.min)) } == "-2147483648")
        #expect(written { $0.number(UInt64(UInt32.max)) } == "4294967295")
        #expect(written { $0.quotedNumber(Int64.min) } == "\"-9223372036854775808\"")
        #expect(written { $0.quotedNumber(UInt64.max) } == "\"18446744073709551615\"")
        #expect(written { $0.quotedNumber(Int64(0)) } == "\"0\"")
    }

    private func sample(_ writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("a")
        writer.number(Int64(1))
        writer.key("b")
        writer.beginArray()
        writer.bool(true)
        writer.null()
        writer.beginObject()
        writer.endObject()
        writer.beginArray()
        writer.endArray()
        writer.endArray()
        writer.key("c")
        writer.string("x")
        writer.endObject()
    }

    @Test("compact layout")
    func compact() {
        #expect(written { sample(&$0) } == "{\"a\":1,\"b\":[true,null,{},[]],\"c\":\"x\"}")
    }

    @Test("pretty layout: two-space indent, empty containers closed in place")
    func pretty() {
        let expected = """
            {
              "a": 1,
              "b": [
                true,
                null,
                {},
                []
              ],
              "c": "x"
            }
            """
        #expect(written(pretty: true) { sample(&$0) } == expected)
    }
}
