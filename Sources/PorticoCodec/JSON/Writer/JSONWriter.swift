/// A JSON text writer into memory it owns, compact (`{"a":1}`) or pretty (two-space indent, `"a": 1`).
///
/// The caller writes structure and values in order; the writer places commas, newlines and indentation.
/// Strings are escaped as protobuf's JSON printers do: `"` `\` and control characters only, `\n`-style
/// escapes where they exist and `\u00xx` otherwise; everything else, non-ASCII included, is written as is.
///
/// Text goes straight through a pointer into one contiguous buffer: each write checks the room left once
/// and stores, with no array uniqueness or bounds checks per byte. The buffer is reserved up front (the
/// printer asks for about twice the protobuf size) and doubles when full. Buffers belong to a
/// ``JSONWriter/Storage`` object that frees them all when the last copy of the writer goes, so a copied
/// writer never points at freed memory (copies share the buffer, so a writer is not meant to be copied
/// while in use).
struct JSONWriter {
    /// Owns every buffer a writer has used; frees them when the writer is gone.
    final class Storage {
        fileprivate let first: UnsafeMutablePointer<UInt8>
        /// The buffers the writer grew into; empty (no array allocated) for most writers.
        fileprivate var grown: [UnsafeMutablePointer<UInt8>] = []

        fileprivate init(first: UnsafeMutablePointer<UInt8>) {
            self.first = first
        }

        deinit {
            first.deallocate()
            for buffer in grown { buffer.deallocate() }
        }
    }

    let isPretty: Bool
    private let storage: Storage
    private var base: UnsafeMutablePointer<UInt8>
    private var count = 0
    private var capacity: Int
    /// How many containers are open.
    private var depth = 0
    /// Whether each of the 64 outermost open containers already holds an element (bit `n` for depth
    /// `n + 1`); deeper levels use ``deepHasElements``.
    private var hasElementsBits: UInt64 = 0
    private var deepHasElements: [Bool] = []
    /// Whether a key was just written, so the next value follows it on the same line.
    private var afterKey = false

    init(pretty: Bool = false, capacity: Int = 256) {
        isPretty = pretty
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
        storage = Storage(first: base)
    }

    /// The text written so far.
    var bytes: [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }

    /// Hands the text written so far to `body`, without copying it.
    func withBytes<T>(_ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }

    // MARK: - Structure

    /// Opens an object at the current value position.
    mutating func beginObject() {
        beginValue()
        append(UInt8(ascii: "{"))
        openContainer()
    }

    /// Writes an object key (escaped) and its separator; the value follows.
    mutating func key(_ name: String) {
        beginElement()
        appendQuoted(name)
        appendKeySeparator()
    }

    /// Writes a key whose bytes are already a quoted, escaped JSON string.
    mutating func key(quoted: UnsafeRawBufferPointer) {
        beginElement()
        reserve(quoted.count + 2)
        if let source = quoted.baseAddress { JSONBytes.copyShort(from: source, to: base + count, count: quoted.count) }
        count += quoted.count
        appendKeySeparator()
    }

    /// Writes a key given as its quoted, escaped JSON string followed by `:`, in one copy when compact.
    mutating func key(member: UnsafeRawBufferPointer) {
        if isPretty {
            return key(quoted: UnsafeRawBufferPointer(rebasing: member.dropLast()))
        }
        beginElement()
        reserve(member.count)
        if let source = member.baseAddress { JSONBytes.copyShort(from: source, to: base + count, count: member.count) }
        count += member.count
        afterKey = true
    }

    /// Closes the innermost object.
    mutating func endObject() {
        closeContainer(UInt8(ascii: "}"))
    }

    /// Opens an array at the current value position.
    mutating func beginArray() {
        beginValue()
        append(UInt8(ascii: "["))
        openContainer()
    }

    /// Closes the innermost array.
    mutating func endArray() {
        closeContainer(UInt8(ascii: "]"))
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
        let encodedCount = Base64.encodedCount(data.count)
        reserve(encodedCount + 2)
        base[count] = UInt8(ascii: "\"")
        Base64.encode(data, into: base + count + 1)
        base[count + 1 + encodedCount] = UInt8(ascii: "\"")
        count += encodedCount + 2
    }

    /// Writes text that is already a complete JSON value (a number, `true`, a quoted literal).
    mutating func raw(_ text: StaticString) {
        beginValue()
        append(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Writes bytes that are already one complete JSON value (an object built by another writer).
    mutating func raw(json bytes: [UInt8]) {
        beginValue()
        bytes.withUnsafeBytes { append($0) }
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
        append(UInt8(ascii: "\""))
        appendDecimal(value)
        append(UInt8(ascii: "\""))
    }

    /// Writes a 64-bit unsigned integer as a JSON string.
    mutating func quotedNumber(_ value: UInt64) {
        beginValue()
        append(UInt8(ascii: "\""))
        appendDecimal(value)
        append(UInt8(ascii: "\""))
    }

    /// Writes a `double` in its shortest round-trip form; NaN and the infinities as strings.
    mutating func number(_ value: Double) {
        if let special = Self.special(value.isNaN, value.isInfinite, value < 0) { return raw(special) }
        beginValue()
        reserve(ShortDecimalFormat.maxLength)
        let written = ShortDecimalFormat.write(value, to: base + count)
        if written > 0 {
            count += written
            return
        }
        var text: [UInt8] = []
        ShortestNumberFormat.append(digitsOf: value.description, to: &text)
        text.withUnsafeBytes { append($0) }
    }

    /// Writes a `float` in its short round-trip form as a float (0.1f is written `0.1`), as Python's
    /// `json_format` does.
    mutating func number(_ value: Float) {
        if let special = Self.special(value.isNaN, value.isInfinite, value < 0) { return raw(special) }
        beginValue()
        var text: [UInt8] = []
        ShortestNumberFormat.append(float: value, to: &text)
        text.withUnsafeBytes { append($0) }
    }

    private static func special(_ isNaN: Bool, _ isInfinite: Bool, _ isNegative: Bool) -> StaticString? {
        if isNaN { return "\"NaN\"" }
        if isInfinite { return isNegative ? "\"-Infinity\"" : "\"Infinity\"" }
        return nil
    }

    // MARK: - Layout

    @inline(__always)
    private mutating func beginValue() {
        if afterKey {
            afterKey = false
            return
        }
        beginElement()
    }

    @inline(__always)
    private mutating func beginElement() {
        guard depth > 0 else { return }
        if depth <= 64 {
            let bit: UInt64 = 1 << UInt64(depth - 1)
            if hasElementsBits & bit != 0 { append(UInt8(ascii: ",")) }
            hasElementsBits |= bit
        } else {
            if deepHasElements[depth - 65] { append(UInt8(ascii: ",")) }
            deepHasElements[depth - 65] = true
        }
        if isPretty { appendNewline(indent: depth) }
    }

    @inline(__always)
    private mutating func openContainer() {
        depth += 1
        if depth <= 64 {
            hasElementsBits &= ~(1 << UInt64(depth - 1))
        } else {
            deepHasElements.append(false)
        }
    }

    private mutating func appendKeySeparator() {
        append(UInt8(ascii: ":"))
        if isPretty { append(UInt8(ascii: " ")) }
        afterKey = true
    }

    private mutating func closeContainer(_ close: UInt8) {
        let hadElements: Bool
        if depth <= 64 {
            hadElements = hasElementsBits & (1 << UInt64(depth - 1)) != 0
        } else {
            hadElements = deepHasElements.removeLast()
        }
        depth -= 1
        if isPretty && hadElements { appendNewline(indent: depth) }
        append(close)
    }

    private mutating func appendNewline(indent: Int) {
        reserve(1 + indent * 2)
        base[count] = UInt8(ascii: "\n")
        (base + count + 1).initialize(repeating: UInt8(ascii: " "), count: indent * 2)
        count += 1 + indent * 2
    }

    // MARK: - Bytes

    /// Makes room for at least `extra` more bytes.
    @inline(__always)
    private mutating func reserve(_ extra: Int) {
        if capacity - count < extra { grow(extra) }
    }

    /// Moves to a buffer at least twice as large; the old one stays with ``storage`` until the end.
    private mutating func grow(_ extra: Int) {
        var newCapacity = capacity * 2
        while newCapacity - count < extra { newCapacity *= 2 }
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        grown.update(from: base, count: count)
        storage.grown.append(grown)
        base = grown
        capacity = newCapacity
    }

    @inline(__always)
    private mutating func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    @inline(__always)
    private mutating func append(_ text: UnsafeRawBufferPointer) {
        guard let source = text.baseAddress else { return }
        reserve(text.count)
        UnsafeMutableRawPointer(base + count).copyMemory(from: source, byteCount: text.count)
        count += text.count
    }

    private mutating func appendDecimal(_ value: Int64) {
        if value < 0 {
            append(UInt8(ascii: "-"))
            appendDecimal(value.magnitude)
        } else {
            appendDecimal(UInt64(value))
        }
    }

    private mutating func appendDecimal(_ value: UInt64) {
        reserve(20)
        count += ShortDecimalFormat.writeDigits(value, to: base + count)
    }

    // MARK: - Strings

    private mutating func appendQuoted(_ value: String) {
        var value = value
        value.withUTF8 { appendQuoted(utf8: UnsafeRawBufferPointer($0)) }
    }

    /// Writes a quoted string: runs that need no escape are found eight bytes at a time and copied whole.
    private mutating func appendQuoted(utf8 value: UnsafeRawBufferPointer) {
        reserve(value.count + 2)
        append(UInt8(ascii: "\""))
        guard let source = value.baseAddress else { return append(UInt8(ascii: "\"")) }
        let total = value.count
        var runStart = 0
        var index = 0
        while true {
            index = JSONBytes.nextByteToEscape(source, from: index, count: total)
            let run = index - runStart
            if run > 0 {
                reserve(run)
                if run <= 64 {
                    JSONBytes.copyShort(from: source + runStart, to: base + count, count: run)
                } else {
                    UnsafeMutableRawPointer(base + count).copyMemory(from: source + runStart, byteCount: run)
                }
                count += run
            }
            if index == total { break }
            appendEscape(source.load(fromByteOffset: index, as: UInt8.self))
            index += 1
            runStart = index
        }
        append(UInt8(ascii: "\""))
    }

    private mutating func appendEscape(_ byte: UInt8) {
        append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): append(byte)
        case 0x08: append(UInt8(ascii: "b"))
        case 0x0C: append(UInt8(ascii: "f"))
        case 0x0A: append(UInt8(ascii: "n"))
        case 0x0D: append(UInt8(ascii: "r"))
        case 0x09: append(UInt8(ascii: "t"))
        default:
            let hex: StaticString = "0123456789abcdef"
            append(UnsafeRawBufferPointer(start: ("u00" as StaticString).utf8Start, count: 3))
            append(hex.utf8Start[Int(byte >> 4)])
            append(hex.utf8Start[Int(byte & 0xF)])
        }
    }
}
