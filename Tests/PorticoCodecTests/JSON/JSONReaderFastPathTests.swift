import Testing

@testable import PorticoCodec

/// What a reader call gives for a whole document: its value, or the error reason.
private func read<T: Equatable>(_ text: String, _ body: (inout JSONReader) throws -> T) -> String {
    Array(text.utf8).withUnsafeBytes { bytes in
        var reader = JSONReader(bytes: bytes)
        do {
            let value = try body(&reader)
            try reader.expectEnd()
            return "\(value)"
        } catch let error as JSONReadError {
            return "error: \(error.reason)"
        } catch {
            return "error: \(error)"
        }
    }
}

/// What ``general(_:_:)`` gives for an unquoted token that is not a JSON number: the reader reports a
/// syntax error of its own.
private let syntaxError = "syntax error"

/// Whether a fast-path result matches the general path's: the same value or reason, or any error for
/// text that is not JSON.
private func agrees(_ actual: String, _ expected: String) -> Bool {
    expected == syntaxError ? actual.hasPrefix("error: ") : actual == expected
}

/// The same token through the general path only: the number or string text handed to `JSONScalarText`.
private func general<T>(_ text: String, _ convert: (UnsafeRawBufferPointer, Bool) throws(JSONReadError) -> T) -> String {
    let quoted = text.hasPrefix("\"")
    let inner = quoted ? String(text.dropFirst().dropLast()) : text
    return Array(inner.utf8).withUnsafeBytes { bytes in
        if !quoted && JSONNumber(text: bytes) == nil { return syntaxError }
        do throws(JSONReadError) {
            return "\(try convert(bytes, quoted))"
        } catch {
            return "error: \(error.reason)"
        }
    }
}

@Suite("JSON reader fast paths agree with the general number rules")
struct JSONReaderFastPathTests {
    static let tokens = [
        "0", "-0", "7", "-7", "123", "007", "-01", "1.0", "1e2", "1E+2", "2.5e-1", "-", "1.", ".5", "12.340",
        "2147483647", "2147483648", "-2147483648", "-2147483649", "4294967295", "4294967296",
        "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
        "18446744073709551615", "18446744073709551616", "99999999999999999999", "1234567890123456789",
        "\"123\"", "\"-5\"", "\"01\"", "\"1e3\"", "\"\"", "\"-\"", "\"9223372036854775808\"",
        "0.1", "0.000001234", "-0.0", "123456789012345.6", "123456789012345", "1234567890123456",
        "3.14159", "1.7976931348623157e308", "1e400", "0.0000000000000000000001", "100000000000000000000",
        "4.9e-324", "\"NaN\"", "\"Infinity\"", "\"1.5\"", "1.25e1",
        "9007199254740993", "9007199254740995", "-9007199254740993", "0.30000000000000004", "0.1000000000000000055511",
        "9999999999999999999", "1844674407370955161.5", "0.3333333333333333", "12345678901234567.89",
    ]

    @Test("integers", arguments: tokens)
    func integers(_ token: String) {
        #expect(agrees(read(token) { try $0.readSignedInteger(.int32) }, general(token) { text, quoted throws(JSONReadError) in try JSONScalarText.signedInteger(text, quoted: quoted, type: .int32) }))
        #expect(agrees(read(token) { try $0.readSignedInteger(.int64) }, general(token) { text, quoted throws(JSONReadError) in try JSONScalarText.signedInteger(text, quoted: quoted, type: .int64) }))
        #expect(agrees(read(token) { try $0.readUnsignedInteger(.uint32) }, general(token) { text, quoted throws(JSONReadError) in try JSONScalarText.unsignedInteger(text, quoted: quoted, type: .uint32) }))
        #expect(agrees(read(token) { try $0.readUnsignedInteger(.uint64) }, general(token) { text, quoted throws(JSONReadError) in try JSONScalarText.unsignedInteger(text, quoted: quoted, type: .uint64) }))
    }

    @Test("doubles and floats", arguments: tokens)
    func doubles(_ token: String) {
        let double = read(token) { try $0.readDouble().bitPattern }
        let expected = general(token) { text, quoted throws(JSONReadError) in try JSONScalarText.double(text, quoted: quoted).bitPattern }
        #expect(agrees(double, expected))
        let float = read(token) { try $0.readFloat().bitPattern }
        let expectedFloat = general(token) { text, quoted throws(JSONReadError) in try JSONScalarText.float(text, quoted: quoted).bitPattern }
        #expect(agrees(float, expectedFloat))
    }

    @Test("decimals of up to 19 digits read exactly as the general path reads them")
    func sampledDecimals() {
        var generator = SplitMix64(seed: 0xDEC1)
        for _ in 0..<40_000 {
            let digits = [
                UInt64.random(in: 0...999_999_999_999_999, using: &generator),
                UInt64.random(in: 1_000_000_000_000_000...9_999_999_999_999_999_999, using: &generator),
            ][Int.random(in: 0...1, using: &generator)]
            let scale = Int.random(in: 0...22, using: &generator)
            var text = String(digits)
            if scale > 0 {
                text = String(repeating: "0", count: max(0, scale + 1 - text.count)) + text
                text.insert(".", at: text.index(text.endIndex, offsetBy: -scale))
            }
            if Bool.random(using: &generator) { text = "-" + text }
            let actual = read(text) { try $0.readDouble().bitPattern }
            let expected = general(text) { text, quoted throws(JSONReadError) in try JSONScalarText.double(text, quoted: quoted).bitPattern }
            if actual != expected {
                Issue.record("\(text): \(actual) != \(expected)")
                return
            }
        }
    }

    static let strings = ["\"plain\"", "\"with \\\"escape\\\"\"", "\"grüße €😀 and more text\"", "\"\"", "\"tab\there\"",
                          "\"\u{1}\"", "\"unterminated", "\"0123456789abcdef0123456789\\n\""]

    @Test("strings read in place or decoded give the same bytes", arguments: strings)
    func plainStrings(_ token: String) {
        let inPlace = read(token) { reader -> [UInt8] in
            if let text = reader.readPlainString() { return Array(text) }
            return try reader.withStringBytes { Array($0) }
        }
        #expect(inPlace == read(token) { try $0.withStringBytes { Array($0) } })
    }
}
