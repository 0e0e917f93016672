import Testing

@testable import PorticoCodec

private func withBytes<T>(_ text: String, _ body: (UnsafeRawBufferPointer) throws(JSONReadError) -> T) -> Result<T, JSONReadError> {
    Array(text.utf8).withUnsafeBytes { bytes in
        do throws(JSONReadError) {
            return .success(try body(bytes))
        } catch {
            return .failure(error)
        }
    }
}

@Suite("Well-known type string forms: base64, Timestamp, Duration, FieldMask")
struct WellKnownFormatTests {
    static let base64: [(String, String?)] = [
        ("", ""), ("YQ==", "a"), ("YQ", "a"), ("YWI=", "ab"), ("YWI", "ab"), ("YWJj", "abc"),
        ("YWJjMTIzIT8kKiYoKSctPUB-", "abc123!?$*&()'-=@~"), ("YWJjMTIzIT8kKiYoKSctPUB+", "abc123!?$*&()'-=@~"),
        ("_-8=", nil), ("Y", nil), ("YQ=", nil), ("Y===", nil), ("YQ==YQ==", nil), ("Y Q==", nil), ("YQ*=", nil),
    ]

    @Test("base64 in: standard or URL-safe, padded or not", arguments: base64)
    func base64Decode(_ text: String, _ expected: String?) {
        let decoded = try? Base64.decode(text)
        if let expected {
            #expect(decoded == Array(expected.utf8))
        } else if text == "_-8=" {
            #expect(decoded == [0xFF, 0xEF])
        } else {
            #expect(decoded == nil)
        }
    }

    @Test("base64 round trip of every length from 0 to 64 bytes, standard and URL-safe, padded and not")
    func base64RoundTrip() throws {
        var generator = SplitMix64(seed: 64)
        for length in 0...64 {
            let data = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let encoded = Base64.encode(data)
            #expect(encoded.utf8.count == Base64.encodedCount(length))
            let urlSafe = String(encoded.map { $0 == "+" ? "-" : $0 == "/" ? "_" : $0 })
            let unpadded = urlSafe.filter { $0 != "=" }
            #expect(try Base64.decode(encoded) == data)
            #expect(try Base64.decode(urlSafe) == data)
            #expect(try Base64.decode(unpadded) == data)
        }
    }

    @Test("base64 out: standard alphabet with padding")
    func base64Encode() {
        #expect(Base64.encode(Array("abc123!?$*&()'-=@~".utf8)) == "YWJjMTIzIT8kKiYoKSctPUB+")
        #expect(Base64.encode([0xFF, 0xEF]) == "/+8=")
        #expect(Base64.encode(Array("a".utf8)) == "YQ==")
        #expect(Base64.encode([]) == "")
    }

    static let timestampsIn: [(String, Int64?, Int32?)] = [
        ("1970-01-01T00:00:00Z", 0, 0),
        ("1972-01-01T10:00:20.021Z", 63_108_020, 21_000_000),
        ("1972-01-01T11:00:20.021+01:00", 63_108_020, 21_000_000),
        ("1972-01-01T09:30:20.021-00:30", 63_108_020, 21_000_000),
        ("0001-01-01T00:00:00Z", -62_135_596_800, 0),
        ("9999-12-31T23:59:59.999999999Z", 253_402_300_799, 999_999_999),
        ("2000-02-29T00:00:00.5Z", 951_782_400, 500_000_000),
        ("1969-12-31T23:59:59.000000001Z", -1, 1),
        ("0001-01-01T00:00:00+01:00", nil, nil),
        ("9999-12-31T23:59:59-01:00", nil, nil),
        ("2001-02-29T00:00:00Z", nil, nil),
        ("2000-01-01 00:00:00Z", nil, nil),
        ("2000-01-01T00:00:00", nil, nil),
        ("2000-01-01T00:00:60Z", nil, nil),
        ("2000-01-01T00:00:00.Z", nil, nil),
        ("2000-01-01T00:00:00.1234567890Z", nil, nil),
        ("2000-1-01T00:00:00Z", nil, nil),
        ("0000-01-01T00:00:00Z", nil, nil),
    ]

    @Test("Timestamp in: RFC 3339 with Z or an offset, within 0001..9999", arguments: timestampsIn)
    func timestampParse(_ text: String, _ seconds: Int64?, _ nanos: Int32?) {
        let result = withBytes(text) { bytes throws(JSONReadError) in try TimestampFormat.parse(bytes) }
        switch result {
        case .success(let value): #expect(value.seconds == seconds && value.nanos == nanos)
        case .failure: #expect(seconds == nil)
        }
    }

    static let timestampsOut: [(Int64, Int32, String)] = [
        (0, 0, "1970-01-01T00:00:00Z"),
        (63_108_020, 21_000_000, "1972-01-01T10:00:20.021Z"),
        (63_108_020, 21_000, "1972-01-01T10:00:20.000021Z"),
        (63_108_020, 21, "1972-01-01T10:00:20.000000021Z"),
        (-62_135_596_800, 0, "0001-01-01T00:00:00Z"),
        (253_402_300_799, 999_999_999, "9999-12-31T23:59:59.999999999Z"),
        (-1, 0, "1969-12-31T23:59:59Z"),
        (951_782_400, 0, "2000-02-29T00:00:00Z"),
    ]

    @Test("Timestamp out: Z with 0, 3, 6 or 9 fraction digits", arguments: timestampsOut)
    func timestampFormat(_ seconds: Int64, _ nanos: Int32, _ expected: String) throws {
        #expect(try TimestampFormat.format(seconds: seconds, nanos: nanos) == expected)
    }

    @Test("Timestamp out of range cannot be written")
    func timestampOutOfRange() {
        #expect(throws: JSONReadError.self) { try TimestampFormat.format(seconds: 253_402_300_800, nanos: 0) }
        #expect(throws: JSONReadError.self) { try TimestampFormat.format(seconds: 0, nanos: -1) }
    }

    static let durationsIn: [(String, Int64?, Int32?)] = [
        ("1.5s", 1, 500_000_000), ("-1.5s", -1, -500_000_000), ("0s", 0, 0), ("-0.000000001s", 0, -1),
        ("1.000340012s", 1, 340_012), ("315576000000s", 315_576_000_000, 0), ("-315576000000.999999999s", -315_576_000_000, -999_999_999),
        ("315576000001s", nil, nil), ("1", nil, nil), ("1.s", nil, nil), (".5s", nil, nil), ("+1s", nil, nil),
        ("1.0000000001s", nil, nil), ("1s ", nil, nil), ("1e3s", nil, nil), ("99999999999999999999s", nil, nil),
    ]

    @Test("Duration in", arguments: durationsIn)
    func durationParse(_ text: String, _ seconds: Int64?, _ nanos: Int32?) {
        let result = withBytes(text) { bytes throws(JSONReadError) in try DurationFormat.parse(bytes) }
        switch result {
        case .success(let value): #expect(value.seconds == seconds && value.nanos == nanos)
        case .failure: #expect(seconds == nil)
        }
    }

    static let durationsOut: [(Int64, Int32, String?)] = [
        (1, 340_012, "1.000340012s"), (1, 500_000_000, "1.500s"), (0, 0, "0s"), (-1, -500_000_000, "-1.500s"),
        (0, -1, "-0.000000001s"), (3, 0, "3s"), (0, 1000, "0.000001s"),
        (1, -1, nil), (315_576_000_001, 0, nil), (0, 1_000_000_000, nil),
    ]

    @Test("Duration out", arguments: durationsOut)
    func durationFormat(_ seconds: Int64, _ nanos: Int32, _ expected: String?) {
        #expect((try? DurationFormat.format(seconds: seconds, nanos: nanos)) == expected)
    }

    static let fieldMasks: [([String], String?)] = [
        (["f.foo_bar", "h"], "f.fooBar,h"), ([], ""), (["user.display_name"], "user.displayName"),
        (["foo_Bar"], nil), (["fooBar"], nil), (["foo__bar"], nil), (["foo_"], nil), (["foo_1"], nil),
    ]

    @Test("FieldMask out: lowerCamel paths joined by ','", arguments: fieldMasks)
    func fieldMaskFormat(_ paths: [String], _ expected: String?) {
        #expect((try? FieldMaskFormat.format(paths)) == expected)
    }

    @Test("FieldMask in: snake_case paths; '_' rejected")
    func fieldMaskParse() throws {
        #expect(try FieldMaskFormat.parse("f.fooBar,h") == ["f.foo_bar", "h"])
        #expect(try FieldMaskFormat.parse("") == [])
        #expect(try FieldMaskFormat.parse("floatValue,doubleValue") == ["float_value", "double_value"])
        #expect(throws: JSONReadError("invalid FieldMask path \"foo_bar\": a JSON path must not contain '_'")) {
            try FieldMaskFormat.parse("foo_bar")
        }
    }
}
