/// A strict, small JSON reader for JWT headers and claim sets (RFC 8259): one pass over the bytes, no
/// `JSONDecoder`, no `Foundation` bridging.
///
/// It reads one top-level object into its members. Strings, numbers, booleans, `null` and arrays of them come
/// back as values; nested objects are checked and skipped. It refuses what RFC 7519 §4 lets a parser refuse:
/// duplicate member names. Nesting deeper than ``maximumDepth``, invalid UTF-8, bad escapes and trailing bytes
/// are errors too.
enum TokenJSON {
    /// One member value.
    enum Value: Equatable {
        case string(String)
        /// A number, with its text as written.
        case number(Double, text: String)
        case bool(Bool)
        case null
        case array([Value])
        /// A nested object, not kept.
        case object
    }

    /// Why the bytes are not a JSON object.
    struct Malformed: Error {}

    static let maximumDepth = 16

    /// The members of the object `bytes` holds.
    static func object(_ bytes: [UInt8]) throws(Malformed) -> [String: Value] {
        var reader = Reader(bytes: bytes)
        reader.skipWhitespace()
        let members = try reader.members(depth: 0)
        reader.skipWhitespace()
        guard reader.offset == bytes.count else { throw Malformed() }
        return members
    }

    private struct Reader {
        let bytes: [UInt8]
        var offset = 0

        mutating func skipWhitespace() {
            while offset < bytes.count, bytes[offset] == 0x20 || bytes[offset] == 0x09 || bytes[offset] == 0x0A || bytes[offset] == 0x0D {
                offset += 1
            }
        }

        mutating func expect(_ byte: UInt8) throws(Malformed) {
            guard offset < bytes.count, bytes[offset] == byte else { throw Malformed() }
            offset += 1
        }

        /// An object's members, the reader on its `{`.
        mutating func members(depth: Int) throws(Malformed) -> [String: Value] {
            guard depth < TokenJSON.maximumDepth else { throw Malformed() }
            try expect(UInt8(ascii: "{"))
            var members: [String: Value] = [:]
            skipWhitespace()
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "}") {
                offset += 1
                return members
            }
            while true {
                skipWhitespace()
                let name = try string()
                skipWhitespace()
                try expect(UInt8(ascii: ":"))
                skipWhitespace()
                let value = try value(depth: depth)
                guard members.updateValue(value, forKey: name) == nil else { throw Malformed() }
                skipWhitespace()
                guard offset < bytes.count else { throw Malformed() }
                if bytes[offset] == UInt8(ascii: ",") {
                    offset += 1
                    continue
                }
                try expect(UInt8(ascii: "}"))
                return members
            }
        }

        mutating func value(depth: Int) throws(Malformed) -> Value {
            guard offset < bytes.count else { throw Malformed() }
            switch bytes[offset] {
            case UInt8(ascii: "\""):
                return .string(try string())
            case UInt8(ascii: "{"):
                _ = try members(depth: depth + 1)
                return .object
            case UInt8(ascii: "["):
                return .array(try array(depth: depth + 1))
            case UInt8(ascii: "t"):
                try literal("true")
                return .bool(true)
            case UInt8(ascii: "f"):
                try literal("false")
                return .bool(false)
            case UInt8(ascii: "n"):
                try literal("null")
                return .null
            default:
                return try number()
            }
        }

        mutating func array(depth: Int) throws(Malformed) -> [Value] {
            guard depth < TokenJSON.maximumDepth else { throw Malformed() }
            try expect(UInt8(ascii: "["))
            var elements: [Value] = []
            skipWhitespace()
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "]") {
                offset += 1
                return elements
            }
            while true {
                skipWhitespace()
                elements.append(try value(depth: depth))
                skipWhitespace()
                guard offset < bytes.count else { throw Malformed() }
                if bytes[offset] == UInt8(ascii: ",") {
                    offset += 1
                    continue
                }
                try expect(UInt8(ascii: "]"))
                return elements
            }
        }

        mutating func literal(_ text: StaticString) throws(Malformed) {
            let count = text.utf8CodeUnitCount
            guard offset + count <= bytes.count else { throw Malformed() }
            let matches = text.withUTF8Buffer { expected in
                (0..<count).allSatisfy { bytes[offset + $0] == expected[$0] }
            }
            guard matches else { throw Malformed() }
            offset += count
        }

        /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
        mutating func number() throws(Malformed) -> Value {
            let start = offset
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "-") { offset += 1 }
            guard offset < bytes.count, isDigit(bytes[offset]) else { throw Malformed() }
            if bytes[offset] == UInt8(ascii: "0") {
                offset += 1
            } else {
                while offset < bytes.count, isDigit(bytes[offset]) { offset += 1 }
            }
            if offset < bytes.count, bytes[offset] == UInt8(ascii: ".") {
                offset += 1
                try digits()
            }
            if offset < bytes.count, bytes[offset] | 0x20 == UInt8(ascii: "e") {
                offset += 1
                if offset < bytes.count, bytes[offset] == UInt8(ascii: "+") || bytes[offset] == UInt8(ascii: "-") { offset += 1 }
                try digits()
            }
            let text = String(decoding: bytes[start..<offset], as: UTF8.self)
            guard let number = Double(text), number.isFinite else { throw Malformed() }
            return .number(number, text: text)
        }

        mutating func digits() throws(Malformed) {
            guard offset < bytes.count, isDigit(bytes[offset]) else { throw Malformed() }
            while offset < bytes.count, isDigit(bytes[offset]) { offset += 1 }
        }

        func isDigit(_ byte: UInt8) -> Bool {
            byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
        }

        /// A string, the reader on its opening quote.
        mutating func string() throws(Malformed) -> String {
            try expect(UInt8(ascii: "\""))
            var scalars: [UInt8] = []
            var runStart = offset
            while true {
                guard offset < bytes.count else { throw Malformed() }
                let byte = bytes[offset]
                if byte == UInt8(ascii: "\"") {
                    scalars += bytes[runStart..<offset]
                    offset += 1
                    break
                }
                guard byte >= 0x20 else { throw Malformed() }
                if byte != UInt8(ascii: "\\") {
                    offset += 1
                    continue
                }
                scalars += bytes[runStart..<offset]
                offset += 1
                guard offset < bytes.count else { throw Malformed() }
                let escape = bytes[offset]
                offset += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scalars.append(escape)
                case UInt8(ascii: "b"): scalars.append(0x08)
                case UInt8(ascii: "f"): scalars.append(0x0C)
                case UInt8(ascii: "n"): scalars.append(0x0A)
                case UInt8(ascii: "r"): scalars.append(0x0D)
                case UInt8(ascii: "t"): scalars.append(0x09)
                case UInt8(ascii: "u"): scalars += try unicodeEscape()
                default: throw Malformed()
                }
                runStart = offset
            }
            guard let text = String(validating: scalars, as: UTF8.self) else { throw Malformed() }
            return text
        }

        /// The UTF-8 of a `\u` escape (the reader after the `u`), joining a surrogate pair.
        mutating func unicodeEscape() throws(Malformed) -> [UInt8] {
            var value = try hex4()
            if (0xD800...0xDBFF).contains(value) {
                try expect(UInt8(ascii: "\\"))
                try expect(UInt8(ascii: "u"))
                let low = try hex4()
                guard (0xDC00...0xDFFF).contains(low) else { throw Malformed() }
                value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(value) {
                throw Malformed()
            }
            guard let scalar = Unicode.Scalar(value) else { throw Malformed() }
            return Array(String(Character(scalar)).utf8)
        }

        mutating func hex4() throws(Malformed) -> UInt32 {
            guard offset + 4 <= bytes.count else { throw Malformed() }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[offset]
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: throw Malformed()
                }
                value = value << 4 | UInt32(digit)
                offset += 1
            }
            return value
        }
    }
}
