import Testing

@testable import PorticoCodec

/// Reads one scalar JSON value (a number or a quoted number) with `read`.
private func readScalar<T>(_ json: String, _ read: (inout JSONReader) throws -> T) -> Result<T, JSONReadError> {
    Array(json.utf8).withUnsafeBytes { bytes in
        var reader = JSONReader(bytes: bytes)
        do {
            let value = try read(&reader)
            try reader.expectEnd()
            return .success(value)
        } catch let error as JSONReadError {
            return .failure(JSONReadError(error.reason))
        } catch {
            return .failure(JSONReadError("\(error)"))
        }
    }
}

@Suite("JSON numbers: exact integers, doubles and floats")
struct JSONScalarTextTests {
    static let signed: [(String, JSONIntegerType, Int64?, String?)] = [
        ("0", .int32, 0, nil),
        ("-0", .int32, 0, nil),
        ("\"-2147483648\"", .int32, -2_147_483_648, nil),
        ("2147483647", .int32, 2_147_483_647, nil),
        ("2147483648", .int32, nil, "2147483648 is out of range for int32"),
        ("-2147483649", .int32, nil, "-2147483649 is out of range for int32"),
        ("1e3", .int32, 1000, nil),
        ("\"1e3\"", .int32, 1000, nil),
        ("1.0", .int32, 1, nil),
        ("1.5e1", .int32, 15, nil),
        ("100e-2", .int32, 1, nil),
        ("1.5", .int32, nil, "expected an integer, got 1.5"),
        ("1e-1", .int32, nil, "expected an integer, got 1e-1"),
        ("\"abc\"", .int32, nil, "expected an integer, got \"abc\""),
        ("\" 1\"", .int32, nil, "expected an integer, got \" 1\""),
        ("\"0x10\"", .int32, nil, "expected an integer, got \"0x10\""),
        ("\"\"", .int32, nil, "expected an integer, got \"\""),
        ("true", .int32, nil, "expected an integer, got a boolean"),
        ("{}", .int32, nil, "expected an integer, got an object"),
        ("\"9223372036854775807\"", .int64, Int64.max, nil),
        ("-9223372036854775808", .int64, Int64.min, nil),
        ("9223372036854775808", .int64, nil, "9223372036854775808 is out of range for int64"),
        ("1e19", .int64, nil, "1e19 is out of range for int64"),
        ("1e1000000000000", .int64, nil, "1e1000000000000 is out of range for int64"),
        ("0e1000000000000", .int64, 0, nil),
        ("1" + String(repeating: "0", count: 400), .int64, nil, "1" + String(repeating: "0", count: 39) + "… is out of range for int64"),
    ]

    @Test("signed integers", arguments: signed)
    func signedIntegers(_ json: String, _ type: JSONIntegerType, _ value: Int64?, _ reason: String?) {
        let result = readScalar(json) { try $0.readSignedInteger(type) }
        switch result {
        case .success(let read): #expect(read == value && reason == nil)
        case .failure(let error): #expect(error.reason == reason && value == nil)
        }
    }

    static let unsigned: [(String, JSONIntegerType, UInt64?, String?)] = [
        ("4294967295", .uint32, 4_294_967_295, nil),
        ("4294967296", .uint32, nil, "4294967296 is out of range for uint32"),
        ("-1", .uint32, nil, "-1 is out of range for uint32"),
        ("-0", .uint32, 0, nil),
        ("\"18446744073709551615\"", .uint64, UInt64.max, nil),
        ("18446744073709551616", .uint64, nil, "18446744073709551616 is out of range for uint64"),
        ("1.8446744073709551615e19", .uint64, UInt64.max, nil),
    ]

    @Test("unsigned integers", arguments: unsigned)
    func unsignedIntegers(_ json: String, _ type: JSONIntegerType, _ value: UInt64?, _ reason: String?) {
        let result = readScalar(json) { try $0.readUnsignedInteger(type) }
        switch result {
        case .success(let read): #expect(read == value && reason == nil)
        case .failure(let error): #expect(error.reason == reason && value == nil)
        }
    }

    static let doubles: [(String, Double?, String?)] = [
        ("1.5", 1.5, nil),
        ("-0.0", -0.0, nil),
        ("\"1.5\"", 1.5, nil),
        ("1e308", 1e308, nil),
        ("1e-400", 0, nil),
        ("0.1", 0.1, nil),
        ("123456789012345678901234567890", 123456789012345678901234567890.0, nil),
        ("2.2250738585072014e-308", 2.2250738585072014e-308, nil),
        ("4.9e-324", .leastNonzeroMagnitude, nil),
        ("\"Infinity\"", .infinity, nil),
        ("\"-Infinity\"", -.infinity, nil),
        ("1e400", nil, "1e400 is out of range for double"),
        ("\"inf\"", nil, "expected a number, got \"inf\""),
        ("\"nan\"", nil, "expected a number, got \"nan\""),
        ("\"1.5 \"", nil, "expected a number, got \"1.5 \""),
        ("null", nil, "expected a number, got null"),
    ]

    @Test("doubles", arguments: doubles)
    func doubleValues(_ json: String, _ value: Double?, _ reason: String?) {
        let result = readScalar(json) { try $0.readDouble() }
        switch result {
        case .success(let read):
            #expect(read == value && reason == nil)
            #expect(read.sign == value?.sign)
        case .failure(let error): #expect(error.reason == reason && value == nil)
        }
    }

    @Test("\"NaN\" reads as NaN")
    func nan() throws {
        #expect(try readScalar("\"NaN\"") { try $0.readDouble() }.get().isNaN)
        #expect(try readScalar("\"NaN\"") { try $0.readFloat() }.get().isNaN)
    }

    static let floats: [(String, Float?, String?)] = [
        ("0.1", 0.1, nil),
        ("3.4028234663852886e38", .greatestFiniteMagnitude, nil),
        ("-3.4028235e38", -.greatestFiniteMagnitude, nil),
        ("3.5e38", nil, "3.5e38 is out of range for float"),
        ("-1e39", nil, "-1e39 is out of range for float"),
        ("\"-Infinity\"", -.infinity, nil),
        ("1e-50", 0, nil),
    ]

    @Test("floats, with the float range checked", arguments: floats)
    func floatValues(_ json: String, _ value: Float?, _ reason: String?) {
        let result = readScalar(json) { try $0.readFloat() }
        switch result {
        case .success(let read): #expect(read == value && reason == nil)
        case .failure(let error): #expect(error.reason == reason && value == nil)
        }
    }

    @Test("the fast path and the slow path agree with Swift's own parser")
    func doubleExactness() {
        let samples = ["0.3", "1.7976931348623157e308", "9007199254740993", "1234567890123456789", "5e-324",
                       "0.000001", "123.456e-7", "8.98846567431158e307", "2.5e22", "1e23", "4.35", "-7.1e-12"]
        for sample in samples {
            let read = try? readScalar(sample) { try $0.readDouble() }.get()
            #expect(read == Double(sample), "\(sample)")
        }
    }
}
