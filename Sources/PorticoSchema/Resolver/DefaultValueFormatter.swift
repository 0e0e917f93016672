import Foundation

/// Converts a proto2 `[default = …]` value to the text `protoc` stores in `FieldDescriptorProto.default_value`:
/// integers in decimal, floats in their shortest round-trip `%g` form (`inf`, `-inf`, `nan`), booleans as
/// `true`/`false`, strings unescaped, bytes C-escaped, enums by value name.
enum DefaultValueFormatter {
    /// The stored text, or the error message protoc gives for a value that does not fit the type.
    static func text(for value: ParsedDefault, type: FieldType, enumValueNames: [String]?, enumName: String?) -> Result<String, DefaultValueError> {
        let token = value.token
        switch type {
        case .int32, .sint32, .sfixed32:
            return integer(value, range: Int64(Int32.min)...Int64(Int32.max))
        case .int64, .sint64, .sfixed64:
            return integer(value, range: Int64.min...Int64.max)
        case .uint32, .fixed32:
            if value.isNegative { return .failure(.init("Unsigned field can't have negative default value.")) }
            return unsigned(token, max: UInt64(UInt32.max))
        case .uint64, .fixed64:
            if value.isNegative { return .failure(.init("Unsigned field can't have negative default value.")) }
            return unsigned(token, max: UInt64.max)
        case .double:
            return number(value).map { doubleText($0) }
        case .float:
            return number(value).map { floatText(Float($0)) }
        case .bool:
            guard !value.isNegative, token.kind == .identifier, token.text == "true" || token.text == "false" else {
                return .failure(.init("Expected \"true\" or \"false\"."))
            }
            return .success(token.text)
        case .string:
            guard !value.isNegative, token.kind == .string else {
                return .failure(.init("Expected string for field default value."))
            }
            return .success(String(decoding: token.bytes, as: UTF8.self))
        case .bytes:
            guard !value.isNegative, token.kind == .string else { return .failure(.init("Expected string.")) }
            return .success(cEscape(token.bytes))
        case .enum:
            guard !value.isNegative, token.kind == .identifier else {
                return .failure(.init("Expected enum identifier for field default value."))
            }
            guard let names = enumValueNames, names.contains(token.text) else {
                return .failure(.init("Enum type \"\(enumName ?? "")\" has no value named \"\(token.text)\"."))
            }
            return .success(token.text)
        case .message, .group:
            return .failure(.init("Messages can't have default values."))
        }
    }

    private static func integer(_ value: ParsedDefault, range: ClosedRange<Int64>) -> Result<String, DefaultValueError> {
        guard value.token.kind == .integer else { return .failure(.init("Expected integer for field default value.")) }
        guard let magnitude = ProtoParser.integerValue(value.token.text) else { return .failure(.init("Integer out of range.")) }
        let limit = value.isNegative ? range.lowerBound.magnitude : UInt64(range.upperBound)
        guard magnitude <= limit else { return .failure(.init("Integer out of range.")) }
        return .success(value.isNegative && magnitude > 0 ? "-\(magnitude)" : "\(magnitude)")
    }

    private static func unsigned(_ token: ProtoToken, max: UInt64) -> Result<String, DefaultValueError> {
        guard token.kind == .integer else { return .failure(.init("Expected integer for field default value.")) }
        guard let value = ProtoParser.integerValue(token.text), value <= max else {
            return .failure(.init("Integer out of range."))
        }
        return .success("\(value)")
    }

    private static func number(_ value: ParsedDefault) -> Result<Double, DefaultValueError> {
        let token = value.token
        let magnitude: Double
        switch token.kind {
        case .integer:
            guard let integer = ProtoParser.integerValue(token.text) else { return .failure(.init("Integer out of range.")) }
            magnitude = Double(integer)
        case .float:
            guard let parsed = Double(token.text) ?? Double(token.text + "0") else { return .failure(.init("Expected number.")) }
            magnitude = parsed
        case .identifier where token.text == "inf":
            magnitude = .infinity
        case .identifier where token.text == "nan":
            magnitude = .nan
        default:
            return .failure(.init("Expected number."))
        }
        return .success(value.isNegative ? -magnitude : magnitude)
    }

    /// protoc's `SimpleDtoa`: `%.15g`, or `%.17g` when that does not read back as the same value.
    static func doubleText(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        let short = String(format: "%.15g", value)
        return Double(short) == value ? short : String(format: "%.17g", value)
    }

    /// protoc's `SimpleFtoa`: `%.6g`, or `%.9g` when that does not read back as the same value.
    static func floatText(_ value: Float) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        let short = String(format: "%.6g", Double(value))
        return Float(short) == value ? short : String(format: "%.9g", Double(value))
    }

    /// protoc's `CEscape`: `\n \r \t \" \' \\` by name, other bytes outside printable ASCII as 3-digit octal.
    static func cEscape(_ bytes: [UInt8]) -> String {
        var result = ""
        for byte in bytes {
            switch byte {
            case 0x0A: result += "\\n"
            case 0x0D: result += "\\r"
            case 0x09: result += "\\t"
            case 0x22: result += "\\\""
            case 0x27: result += "\\'"
            case 0x5C: result += "\\\\"
            case 0x20...0x7E: result.append(Character(UnicodeScalar(byte)))
            default:
                let octal = String(byte, radix: 8)
                result += "\\" + String(repeating: "0", count: 3 - octal.count) + octal
            }
        }
        return result
    }
}

/// Why a default value does not fit its field, in protoc's words.
struct DefaultValueError: Error {
    var message: String

    init(_ message: String) {
        self.message = message
    }
}
