#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The kind of the next JSON value, read from its first byte.
enum JSONValueKind: Equatable, Sendable {
    case object
    case array
    case string
    case number
    case bool
    case null

    /// The word used in error messages: `expected a string, got an object`.
    var noun: String {
        switch self {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case .number: "a number"
        case .bool: "a boolean"
        case .null: "null"
        }
    }
}

/// A strict (RFC 8259) pull reader over UTF-8 bytes.
///
/// The caller drives it by the shape it expects: `beginObject` then `nextObjectKey` until it returns `nil`,
/// `beginArray` then `nextArrayElement` until `false`, and the scalar readers in between. Every container
/// opened counts against `maxDepth`, so the schema-directed parser, whose recursion follows the containers,
/// stays bounded; `skipValue` walks nested values without recursion. The bytes must outlive the reader.
struct JSONReader {
    /// The default limit of nested objects and arrays, the same as protobuf's JSON parsers.
    static let defaultMaxDepth = 100

    let bytes: UnsafeRawBufferPointer
    /// The offset of the next unread byte.
    var offset: Int
    /// How many containers are open.
    private(set) var depth: Int
    let maxDepth: Int
    /// Decoded bytes of the last string that held escapes.
    var scratch: [UInt8] = []

    /// A reader over `bytes`, which must stay valid while the reader is used.
    init(bytes: UnsafeRawBufferPointer, maxDepth: Int = JSONReader.defaultMaxDepth) {
        self.bytes = bytes
        self.offset = 0
        self.depth = 0
        self.maxDepth = maxDepth
    }

    // MARK: - Whitespace and end

    @inline(__always)
    mutating func skipWhitespace() {
        while offset < bytes.count {
            let byte = bytes[offset]
            if byte > 0x20 { return }
            switch byte {
            case 0x20, 0x0A, 0x0D, 0x09: offset += 1
            default: return
            }
        }
    }

    /// Checks that nothing but whitespace follows the value just read.
    mutating func expectEnd() throws {
        skipWhitespace()
        if offset < bytes.count {
            throw JSONReadError(offset: offset, "unexpected \(describeByte(at: offset)) after the JSON value")
        }
    }

    /// The kind of the next value, after skipping whitespace; nothing is consumed.
    mutating func peekKind() throws -> JSONValueKind {
        skipWhitespace()
        guard offset < bytes.count else { throw JSONReadError(offset: offset, "unexpected end of JSON input") }
        switch bytes[offset] {
        case UInt8(ascii: "{"): return .object
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool
        case UInt8(ascii: "n"): return .null
        default: throw JSONReadError(offset: offset, "unexpected \(describeByte(at: offset))")
        }
    }

    // MARK: - Containers

    /// Consumes `{` and opens an object.
    mutating func beginObject() throws {
        try expectByte(UInt8(ascii: "{"), "expected an object")
        try enterContainer()
    }

    /// Reads the next key of the open object and the `:` after it, or closes the object and returns `nil`.
    ///
    /// - Parameter isFirst: `true` before the first key; set to `false` by the call.
    mutating func nextObjectKey(isFirst: inout Bool) throws -> String? {
        try nextObjectKey(isFirst: &isFirst) { String(decoding: $0, as: UTF8.self) }
    }

    /// Reads the next key of the open object, hands its decoded bytes to `body` and reads the `:` after it;
    /// or closes the object and returns `nil`.
    mutating func nextObjectKey<T>(isFirst: inout Bool, _ body: (UnsafeRawBufferPointer) throws -> T) throws -> T? {
        guard try nextObjectMember(isFirst: &isFirst) else { return nil }
        let key = try withStringBytes(body)
        try expectKeySeparator()
        return key
    }

    /// Moves to the next member of the open object: `true` with the reader on the key's opening quote, or
    /// `false` once the object is closed.
    ///
    /// - Parameter isFirst: `true` before the first key; set to `false` by the call.
    @inline(__always)
    mutating func nextObjectMember(isFirst: inout Bool) throws -> Bool {
        skipWhitespace()
        guard offset < bytes.count else { throw JSONReadError(offset: offset, "unexpected end of JSON input in an object") }
        if bytes[offset] == UInt8(ascii: "}") {
            offset += 1
            depth -= 1
            return false
        }
        if !isFirst {
            guard bytes[offset] == UInt8(ascii: ",") else {
                throw JSONReadError(offset: offset, "expected ',' or '}' in an object, got \(describeByte(at: offset))")
            }
            offset += 1
            skipWhitespace()
        }
        isFirst = false
        guard offset < bytes.count, bytes[offset] == UInt8(ascii: "\"") else {
            throw JSONReadError(offset: offset, "expected a string key in an object, got \(describeByte(at: offset))")
        }
        return true
    }

    /// Consumes a key when the text at the reader is exactly `quoted` (a JSON string, quotes included);
    /// otherwise moves nothing. A match decodes to the same key, so the caller may skip decoding it. Keys
    /// are short: the bytes are compared eight at a time, the last word overlapping, without a call.
    @inline(__always)
    mutating func consumeKey(quoted: UnsafeRawBufferPointer) -> Bool {
        let count = quoted.count
        guard count >= 8, bytes.count - offset >= count, let name = quoted.baseAddress, let text = bytes.baseAddress else {
            return consumeShortKey(quoted: quoted)
        }
        let start = text + offset
        var index = 0
        while index + 8 < count {
            if start.loadUnaligned(fromByteOffset: index, as: UInt64.self) != name.loadUnaligned(fromByteOffset: index, as: UInt64.self) {
                return false
            }
            index += 8
        }
        guard start.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self) == name.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self) else {
            return false
        }
        offset += count
        return true
    }

    private mutating func consumeShortKey(quoted: UnsafeRawBufferPointer) -> Bool {
        let count = quoted.count
        guard count > 0, bytes.count - offset >= count,
              memcmp(bytes.baseAddress! + offset, quoted.baseAddress!, count) == 0
        else { return false }
        offset += count
        return true
    }

    /// Whether the next byte (after whitespace) is `byte`; nothing is consumed.
    @inline(__always)
    mutating func isAt(_ byte: UInt8) -> Bool {
        skipWhitespace()
        return offset < bytes.count && bytes[offset] == byte
    }

    /// Reads the `:` after an object key.
    @inline(__always)
    mutating func expectKeySeparator() throws {
        try expectByte(UInt8(ascii: ":"), "expected ':' after an object key")
    }

    /// Whether the next value (after whitespace) starts like `null`; nothing is consumed.
    @inline(__always)
    mutating func isAtNull() -> Bool {
        skipWhitespace()
        return offset < bytes.count && bytes[offset] == UInt8(ascii: "n")
    }

    /// Consumes `[` and opens an array.
    mutating func beginArray() throws {
        try expectByte(UInt8(ascii: "["), "expected an array")
        try enterContainer()
    }

    /// Moves to the next element of the open array (`true`), or closes the array (`false`).
    ///
    /// - Parameter isFirst: `true` before the first element; set to `false` by the call.
    mutating func nextArrayElement(isFirst: inout Bool) throws -> Bool {
        skipWhitespace()
        guard offset < bytes.count else { throw JSONReadError(offset: offset, "unexpected end of JSON input in an array") }
        if bytes[offset] == UInt8(ascii: "]") {
            offset += 1
            depth -= 1
            return false
        }
        if !isFirst {
            guard bytes[offset] == UInt8(ascii: ",") else {
                throw JSONReadError(offset: offset, "expected ',' or ']' in an array, got \(describeByte(at: offset))")
            }
            offset += 1
            skipWhitespace()
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "]") {
                throw JSONReadError(offset: offset, "unexpected ']' after ',' in an array")
            }
        }
        isFirst = false
        return true
    }

    private mutating func enterContainer() throws {
        depth += 1
        if depth > maxDepth {
            throw JSONReadError(offset: offset - 1, "JSON nested deeper than \(maxDepth) levels")
        }
    }

    // MARK: - Literals

    /// Reads `true` or `false`.
    mutating func readBool() throws -> Bool {
        skipWhitespace()
        if matchLiteral("true") { return true }
        if matchLiteral("false") { return false }
        throw JSONReadError(offset: offset, "expected a boolean, got \(describeByte(at: offset))")
    }

    /// Reads `null`.
    mutating func readNull() throws {
        skipWhitespace()
        guard matchLiteral("null") else {
            throw JSONReadError(offset: offset, "expected null, got \(describeByte(at: offset))")
        }
    }

    private mutating func matchLiteral(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard bytes.count - offset >= count else { return false }
        let base = literal.utf8Start
        for index in 0..<count where bytes[offset + index] != base[index] {
            return false
        }
        offset += count
        return true
    }

    // MARK: - Skipping

    /// Reads and discards one complete value of any kind, validating it, without recursion.
    mutating func skipValue() throws {
        let startDepth = depth
        var firsts: [Bool] = []
        var inObject: [Bool] = []
        repeat {
            if let isObject = inObject.last {
                var isFirst = firsts[firsts.count - 1]
                let more: Bool
                if isObject {
                    more = try nextObjectKey(isFirst: &isFirst) != nil
                } else {
                    more = try nextArrayElement(isFirst: &isFirst)
                }
                firsts[firsts.count - 1] = isFirst
                if !more {
                    firsts.removeLast()
                    inObject.removeLast()
                    continue
                }
            }
            switch try peekKind() {
            case .object:
                try beginObject()
                firsts.append(true)
                inObject.append(true)
            case .array:
                try beginArray()
                firsts.append(true)
                inObject.append(false)
            case .string: _ = try withStringBytes { _ in () }
            case .number: try readNumberToken()
            case .bool: _ = try readBool()
            case .null: try readNull()
            }
        } while depth > startDepth
    }

    // MARK: - Helpers

    /// Consumes `byte` after optional whitespace; the error names `what` was expected.
    @inline(__always)
    mutating func expectByte(_ byte: UInt8, _ what: @autoclosure () -> String) throws {
        if offset < bytes.count && bytes[offset] == byte {
            offset += 1
            return
        }
        skipWhitespace()
        guard offset < bytes.count, bytes[offset] == byte else {
            throw JSONReadError(offset: offset, "\(what()), got \(describeByte(at: offset))")
        }
        offset += 1
    }

    /// How a byte is named in an error: `'x'`, `byte 0xC3`, or `end of input`.
    func describeByte(at index: Int) -> String {
        guard index < bytes.count else { return "end of input" }
        let byte = bytes[index]
        if byte >= 0x21 && byte < 0x7F {
            return "'\(Character(Unicode.Scalar(byte)))'"
        }
        return "byte 0x" + String(byte, radix: 16, uppercase: true)
    }
}
