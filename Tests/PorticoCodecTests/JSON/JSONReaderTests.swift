import Testing

@testable import PorticoCodec

/// Reads one whole JSON value with `skipValue` (full validation) and returns the error reason, if any.
private func validationError(_ text: [UInt8], maxDepth: Int = JSONReader.defaultMaxDepth) -> String? {
    text.withUnsafeBytes { bytes in
        var reader = JSONReader(bytes: bytes, maxDepth: maxDepth)
        do {
            try reader.skipValue()
            try reader.expectEnd()
            return nil
        } catch let error as JSONReadError {
            return error.reason
        } catch {
            return "\(error)"
        }
    }
}

private func decodedString(_ text: [UInt8]) -> Result<[UInt8], JSONReadError> {
    text.withUnsafeBytes { bytes in
        var reader = JSONReader(bytes: bytes)
        do {
            let value = try reader.withStringBytes { Array($0) }
            try reader.expectEnd()
            return .success(value)
        } catch let error as JSONReadError {
            return .failure(error)
        } catch {
            return .failure(JSONReadError("\(error)"))
        }
    }
}

@Suite("JSON reader: RFC 8259 syntax")
struct JSONReaderTests {
    static let accepted: [String] = [
        "{}", "[]", "0", "-0", "1.5e10", "-1E-2", "true", "false", "null", "\"\"",
        " \t\r\n{ \"a\" : [ 1 , 2 , { } ] , \"b\" : null } \n",
        "[[[[]]]]", "{\"a\":{\"b\":{\"c\":[true,false,null]}}}",
    ]

    @Test("accepts valid JSON", arguments: accepted)
    func acceptsValid(_ text: String) {
        #expect(validationError(Array(text.utf8)) == nil)
    }

    static let rejected: [(String, String)] = [
        ("", "unexpected end of JSON input"),
        ("{", "unexpected end of JSON input in an object"),
        ("[1,]", "unexpected ']' after ',' in an array"),
        ("{\"a\":1,}", "expected a string key in an object, got '}'"),
        ("{a:1}", "expected a string key in an object, got 'a'"),
        ("{\"a\" 1}", "expected ':' after an object key, got '1'"),
        ("[1 2]", "expected ',' or ']' in an array, got '2'"),
        ("{} x", "unexpected 'x' after the JSON value"),
        ("{}{}", "unexpected '{' after the JSON value"),
        ("01", "invalid number 01"),
        ("1.", "invalid number 1."),
        (".5", "unexpected '.'"),
        ("+1", "unexpected '+'"),
        ("1e", "invalid number 1e"),
        ("-", "invalid number -"),
        ("tru", "expected a boolean, got 't'"),
        ("nul", "expected null, got 'n'"),
        ("NaN", "unexpected 'N'"),
        ("'a'", "unexpected '''"),
        ("\"abc", "unterminated string"),
        ("[\"a\nb\"]", "control character 0xA in a string must be escaped"),
        ("\"\\x\"", "invalid escape 'x' in a string"),
        ("\"\\u12\"", "a \\u escape needs four hex digits"),
        ("\"\\uD800\"", "lone high surrogate \\uD800 in a string"),
        ("\"\\uD800\\u0041\"", "lone high surrogate \\uD800 in a string"),
        ("\"\\uDC00\"", "lone low surrogate \\uDC00 in a string"),
        ("\u{0}", "unexpected byte 0x0"),
    ]

    @Test("rejects invalid JSON with a reason", arguments: rejected)
    func rejectsInvalid(_ text: String, _ reason: String) {
        #expect(validationError(Array(text.utf8)) == reason)
    }

    static let invalidUTF8: [[UInt8]] = [
        [0x22, 0xFF, 0x22],
        [0x22, 0xC0, 0xAF, 0x22],
        [0x22, 0xE0, 0x80, 0xAF, 0x22],
        [0x22, 0xED, 0xA0, 0x80, 0x22],
        [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22],
        [0x22, 0xC3, 0x22],
        [0x22, 0xE2, 0x82, 0x22],
        [0x22, 0x80, 0x22],
    ]

    @Test("rejects invalid UTF-8 in strings", arguments: invalidUTF8)
    func rejectsInvalidUTF8(_ bytes: [UInt8]) {
        #expect(validationError(bytes) == "invalid UTF-8 in a string")
    }

    static let strings: [(String, [UInt8])] = [
        ("\"plain\"", Array("plain".utf8)),
        ("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", [0x22, 0x5C, 0x2F, 0x08, 0x0C, 0x0A, 0x0D, 0x09]),
        ("\"\\u0041\\u00e9\\u20AC\"", Array("Aé€".utf8)),
        ("\"\\uD83D\\uDE00\"", Array("😀".utf8)),
        ("\"a\\u0000b\"", [0x61, 0x00, 0x62]),
        ("\"é😀\"", Array("é😀".utf8)),
        ("\"x\\ny\"", [0x78, 0x0A, 0x79]),
    ]

    @Test("decodes every escape and multibyte UTF-8", arguments: strings)
    func decodesStrings(_ text: String, _ expected: [UInt8]) throws {
        #expect(try decodedString(Array(text.utf8)).get() == expected)
    }

    @Test("nesting 100,000 deep is an error, not a crash")
    func deepNesting() {
        let depth = 100_000
        let arrays = [UInt8](repeating: UInt8(ascii: "["), count: depth) + [UInt8](repeating: UInt8(ascii: "]"), count: depth)
        #expect(validationError(arrays) == "JSON nested deeper than 100 levels")
        var objects: [UInt8] = []
        for _ in 0..<depth { objects += Array("{\"a\":".utf8) }
        #expect(validationError(objects) == "JSON nested deeper than 100 levels")
    }

    @Test("the depth limit counts objects and arrays")
    func depthLimit() {
        let within = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(validationError(Array(within.utf8)) == nil)
        let beyond = String(repeating: "[", count: 101) + String(repeating: "]", count: 101)
        #expect(validationError(Array(beyond.utf8)) == "JSON nested deeper than 100 levels")
    }

    @Test("object keys come back in order, duplicates included, for the caller to judge")
    func objectKeys() throws {
        let text = Array("{\"a\":1,\"b\":[2],\"a\":3}".utf8)
        var keys: [String] = []
        try text.withUnsafeBytes { bytes in
            var reader = JSONReader(bytes: bytes)
            try reader.beginObject()
            var isFirst = true
            while let key = try reader.nextObjectKey(isFirst: &isFirst) {
                keys.append(key)
                try reader.skipValue()
            }
            try reader.expectEnd()
        }
        #expect(keys == ["a", "b", "a"])
    }

    @Test("errors carry the byte offset")
    func errorOffset() {
        let text = Array("{\"a\": tru}".utf8)
        text.withUnsafeBytes { bytes in
            var reader = JSONReader(bytes: bytes)
            #expect(throws: JSONReadError(offset: 6, "expected a boolean, got 't'")) {
                try reader.skipValue()
            }
        }
    }
}
