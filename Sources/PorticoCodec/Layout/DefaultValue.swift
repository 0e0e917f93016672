import PorticoSchema

/// A proto2 default, parsed from the text form `protoc` stores in `FieldDescriptorProto.default_value`.
enum DefaultValue {
    case int32(Int32)
    case uint32(UInt32)
    case int64(Int64)
    case uint64(UInt64)
    case float(Float)
    case double(Double)
    case bool(Bool)
    case bytes([UInt8])

    /// Parses `text` for a field of `type`; enum names are resolved through `enumType`.
    static func parse(_ text: String, type: FieldType, enumType: EnumDescriptor?) -> DefaultValue? {
        switch type {
        case .int32, .sint32, .sfixed32: Int32(text).map(DefaultValue.int32)
        case .uint32, .fixed32: UInt32(text).map(DefaultValue.uint32)
        case .int64, .sint64, .sfixed64: Int64(text).map(DefaultValue.int64)
        case .uint64, .fixed64: UInt64(text).map(DefaultValue.uint64)
        case .float: parseFloating(text).map { .float(Float($0)) }
        case .double: parseFloating(text).map(DefaultValue.double)
        case .bool: text == "true" ? .bool(true) : text == "false" ? .bool(false) : nil
        case .string: .bytes(Array(text.utf8))
        case .bytes: unescapeC(text).map(DefaultValue.bytes)
        case .enum: enumType?.value(named: text).map { .int32($0.number) }
        case .message, .group: nil
        }
    }

    /// The zero value of a scalar type (used for map-entry keys and values).
    static func zero(of type: FieldType) -> DefaultValue? {
        switch type {
        case .int32, .sint32, .sfixed32, .enum: .int32(0)
        case .uint32, .fixed32: .uint32(0)
        case .int64, .sint64, .sfixed64: .int64(0)
        case .uint64, .fixed64: .uint64(0)
        case .float: .float(0)
        case .double: .double(0)
        case .bool: .bool(false)
        case .string, .bytes: .bytes([])
        case .message, .group: nil
        }
    }

    private static func parseFloating(_ text: String) -> Double? {
        switch text {
        case "inf": .infinity
        case "-inf": -.infinity
        case "nan": .nan
        default: Double(text)
        }
    }

    /// Undoes protoc's C escaping of bytes defaults (`\n`, `\\`, `\"`, `\'`, `\ooo`, `\xHH`).
    static func unescapeC(_ text: String) -> [UInt8]? {
        let input = Array(text.utf8)
        var output: [UInt8] = []
        var index = 0
        while index < input.count {
            let byte = input[index]
            index += 1
            guard byte == UInt8(ascii: "\\") else {
                output.append(byte)
                continue
            }
            guard index < input.count else { return nil }
            let escape = input[index]
            index += 1
            switch escape {
            case UInt8(ascii: "n"): output.append(0x0A)
            case UInt8(ascii: "r"): output.append(0x0D)
            case UInt8(ascii: "t"): output.append(0x09)
            case UInt8(ascii: "a"): output.append(0x07)
            case UInt8(ascii: "b"): output.append(0x08)
            case UInt8(ascii: "f"): output.append(0x0C)
            case UInt8(ascii: "v"): output.append(0x0B)
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                var value = Int(escape - UInt8(ascii: "0"))
                var digits = 1
                while digits < 3, index < input.count, (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(input[index]) {
                    value = value * 8 + Int(input[index] - UInt8(ascii: "0"))
                    index += 1
                    digits += 1
                }
                output.append(UInt8(truncatingIfNeeded: value))
            case UInt8(ascii: "x"):
                var value = 0
                var digits = 0
                while digits < 2, index < input.count, let digit = hexValue(input[index]) {
                    value = value * 16 + digit
                    index += 1
                    digits += 1
                }
                guard digits > 0 else { return nil }
                output.append(UInt8(value))
            default:
                output.append(escape)
            }
        }
        return output
    }

    private static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): Int(byte - UInt8(ascii: "a")) + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): Int(byte - UInt8(ascii: "A")) + 10
        default: nil
        }
    }
}
