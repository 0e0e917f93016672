/// A JSON text writer into a byte array, compact (`{"a":1}`) or pretty (two-space indent, `"a": 1`).
///
/// The caller writes structure and values in order; the writer places commas, newlines and indentation.
/// Strings are escaped as protobuf's JSON printers do: `"` `\` and control characters only, `\n`-style
/// escapes where they exist and `\u00xx` otherwise; everything else, non-ASCII included, is written as is.
struct JSONWriter {
    /// The text written so far.
    private(set) var bytes: [UInt8] = []
    let isPretty: Bool
    /// For each open container, whether it already holds an element.
    private var hasElements: [Bool] = []
    /// Whether a key was just written, so the next value follows it on the same line.
    private var afterKey = false

    init(pretty: Bool = false, capacity: Int = 256) {
        isPretty = pretty
        bytes.reserveCapacity(capacity)
    }

    // MARK: - Structure

    /// Opens an object at the current value position.
    mutating func beginObject() {
        beginValue()
        bytes.append(UInt8(ascii: "{"))
        hasElements.append(false)
    }

    /// Writes an object key (escaped) and its separator; the value follows.
    mutating func key(_ name: String) {
        beginElement()
        appendQuoted(name)
        appendKeySeparator()
    }

    /// Writes a key whose bytes are already a quoted, escaped JSON string.
    mutating func key(quoted: [UInt8]) {
        beginElement()
        bytes.append(contentsOf: quoted)
        appendKeySeparator()
    }

    /// Closes the innermost object.
    mutating func endObject() {
        endContainer(UInt8(ascii: "}"))
    }

    /// Opens an array at the current value position.
    mutating func beginArray() {
        beginValue()
        bytes.append(UInt8(ascii: "["))
        hasElements.append(false)
    }

    /// Closes the innermost array.
    mutating func endArray() {
        endContainer(UInt8(ascii: "]"))
    }

    // MARK: - Values

    /// Writes a string value.
    mutating func string(_ value: String) {
        beginValue()
        appendQuoted(value)
    }

    /// Writes a string value from UTF-8 bytes.
    mutating func string(utf8 value: UnsafeRawBufferPointer) {
        beginValue()
        appendQuoted(utf8: value)
    }

    /// Writes bytes as a standard, padded base64 string.
    mutating func base64(_ data: UnsafeRawBufferPointer) {
        beginValue()
        bytes.append(UInt8(ascii: "\""))
        Base64.encode(data, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    /// Writes text that is already a complete JSON value (a number, `true`, a quoted literal).
    mutating func raw(_ text: StaticString) {
        beginValue()
        bytes.append(contentsOf: UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Writes `true` or `false`.
    mutating func bool(_ value: Bool) {
        raw(value ? "true" : "false")
    }

    /// Writes `null`.
    mutating func null() {
        raw("null")
    }

    /// Writes a 32-bit-range integer as a JSON number.
    mutating func number(_ value: Int64) {
        beginValue()
        appendDecimal(value)
    }

    /// Writes a 32-bit-range unsigned integer as a JSON number.
    mutating func number(_ value: UInt64) {
        beginValue()
        appendDecimal(value)
    }

    /// Writes a 64-bit integer as a JSON string, as the proto3 mapping requires.
    mutating func quotedNumber(_ value: Int64) {
        beginValue()
        bytes.append(UInt8(ascii: "\""))
        appendDecimal(value)
        bytes.append(UInt8(ascii: "\""))
    }

    /// Writes a 64-bit unsigned integer as a JSON string.
    mutating func quotedNumber(_ value: UInt64) {
        beginValue()
        bytes.append(UInt8(ascii: "\""))
        appendDecimal(value)
        bytes.append(UInt8(ascii: "\""))
    }

    /// Writes a `double` in its shortest round-trip form; NaN and the infinities as strings.
    mutating func number(_ value: Double) {
        if let special = Self.special(value.isNaN, value.isInfinite, value < 0) { return raw(special) }
        beginValue()
        ShortestNumberFormat.append(digitsOf: value.description, to: &bytes)
    }

    /// Writes a `float` in its short round-trip form as a float (0.1f is written `0.1`), as Python's
    /// `json_format` does.
    mutating func number(_ value: Float) {
        if let special = Self.special(value.isNaN, value.isInfinite, value < 0) { return raw(special) }
        beginValue()
        ShortestNumberFormat.append(float: value, to: &bytes)
    }

    private static func special(_ isNaN: Bool, _ isInfinite: Bool, _ isNegative: Bool) -> StaticString? {
        if isNaN { return "\"NaN\"" }
        if isInfinite { return isNegative ? "\"-Infinity\"" : "\"Infinity\"" }
        return nil
    }

    // MARK: - Layout

    private mutating func beginValue() {
        if afterKey {
            afterKey = false
            return
        }
        beginElement()
    }

    private mutating func beginElement() {
        guard let last = hasElements.indices.last else { return }
        if hasElements[last] { bytes.append(UInt8(ascii: ",")) }
        hasElements[last] = true
        if isPretty { appendNewline(indent: hasElements.count) }
    }

    private mutating func appendKeySeparator() {
        bytes.append(UInt8(ascii: ":"))
        if isPretty { bytes.append(UInt8(ascii: " ")) }
        afterKey = true
    }

    private mutating func endContainer(_ close: UInt8) {
        let hadElements = hasElements.removeLast()
        if isPretty && hadElements { appendNewline(indent: hasElements.count) }
        bytes.append(close)
    }

    private mutating func appendNewline(indent: Int) {
        bytes.append(UInt8(ascii: "\n"))
        bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent * 2))
    }

    private mutating func appendDecimal(_ value: Int64) {
        if value < 0 {
            bytes.append(UInt8(ascii: "-"))
            appendDecimal(value.magnitude)
        } else {
            appendDecimal(UInt64(value))
        }
    }

    private mutating func appendDecimal(_ value: UInt64) {
        if value < 10 {
            bytes.append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        var digits: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        var count = 0
        var remaining = value
        withUnsafeMutableBytes(of: &digits) { buffer in
            while remaining > 0 {
                buffer[31 - count] = UInt8(ascii: "0") + UInt8(remaining % 10)
                remaining /= 10
                count += 1
            }
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[(32 - count)...]))
        }
    }

    // MARK: - Strings

    private mutating func appendQuoted(_ value: String) {
        var value = value
        value.withUTF8 { appendQuoted(utf8: UnsafeRawBufferPointer($0)) }
    }

    private mutating func appendQuoted(utf8 value: UnsafeRawBufferPointer) {
        bytes.append(UInt8(ascii: "\""))
        var runStart = 0
        for index in 0..<value.count {
            let byte = value[index]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: value[runStart..<index]))
            appendEscape(byte)
            runStart = index + 1
        }
        bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: value[runStart...]))
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func appendEscape(_ byte: UInt8) {
        bytes.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
        case 0x08: bytes.append(UInt8(ascii: "b"))
        case 0x0C: bytes.append(UInt8(ascii: "f"))
        case 0x0A: bytes.append(UInt8(ascii: "n"))
        case 0x0D: bytes.append(UInt8(ascii: "r"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        default:
            let hex: [UInt8] = Array("0123456789abcdef".utf8)
            bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
        }
    }
}
