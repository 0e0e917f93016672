extension JSONReader {
    /// Reads a string value and returns it decoded.
    mutating func readString() throws -> String {
        try withStringBytes { String(decoding: $0, as: UTF8.self) }
    }

    /// Reads a string value and hands its decoded UTF-8 bytes to `body`.
    ///
    /// The bytes are valid UTF-8 (checked here), with every escape decoded; `\u0000` gives a NUL byte. They
    /// are valid only during the call. A string without escapes is handed over in place, without a copy.
    mutating func withStringBytes<T>(_ body: (UnsafeRawBufferPointer) throws -> T) throws -> T {
        try expectByte(UInt8(ascii: "\""), "expected a string")
        let start = offset
        while true {
            skipPlainStringBytes()
            guard offset < bytes.count else {
                throw JSONReadError(offset: start - 1, "unterminated string")
            }
            let byte = bytes[offset]
            if byte == UInt8(ascii: "\"") {
                let slice = UnsafeRawBufferPointer(rebasing: bytes[start..<offset])
                offset += 1
                return try body(slice)
            }
            if byte == UInt8(ascii: "\\") {
                return try readEscapedString(start: start, body)
            }
            try checkStringByte(byte)
        }
    }

    /// Reads a string that holds no escapes, in place: its bytes (checked UTF-8) stay valid as long as the
    /// input. Returns `nil` with nothing consumed for a string with escapes, or anything that is not a
    /// well-formed string, so ``withStringBytes(_:)`` can decode it or report the error.
    mutating func readPlainString() -> UnsafeRawBufferPointer? {
        skipWhitespace()
        guard offset < bytes.count, bytes[offset] == UInt8(ascii: "\"") else { return nil }
        let quote = offset
        offset += 1
        while true {
            skipPlainStringBytes()
            guard offset < bytes.count else { break }
            let byte = bytes[offset]
            if byte == UInt8(ascii: "\"") {
                let text = UnsafeRawBufferPointer(rebasing: bytes[(quote + 1)..<offset])
                offset += 1
                return text
            }
            guard byte >= 0x80, let length = try? utf8SequenceLength(at: offset) else { break }
            offset += length
        }
        offset = quote
        return nil
    }

    /// Moves past printable ASCII other than `"` and `\\`, eight bytes at a time while at least eight remain:
    /// a word is tested for a quote, a backslash, a control character or a non-ASCII byte all at once, and
    /// the lowest flagged byte is exact (borrows only carry into bytes above a flagged one).
    @inline(__always)
    mutating func skipPlainStringBytes() {
        let count = bytes.count
        while offset + 8 <= count {
            let word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            let flagged = JSONBytes.specialBytes(in: word) | word & JSONBytes.highBits
            if flagged != 0 {
                offset += flagged.trailingZeroBitCount >> 3
                return
            }
            offset += 8
        }
        while offset < count {
            let byte = bytes[offset]
            if byte < 0x20 || byte >= 0x80 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { return }
            offset += 1
        }
    }

    /// Continues a string that holds escapes, decoding it into the scratch buffer.
    private mutating func readEscapedString<T>(start: Int, _ body: (UnsafeRawBufferPointer) throws -> T) throws -> T {
        var decoded = scratch
        scratch = []
        decoded.removeAll(keepingCapacity: true)
        defer { scratch = decoded }
        decoded.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[start..<offset]))
        while true {
            guard offset < bytes.count else {
                throw JSONReadError(offset: start - 1, "unterminated string")
            }
            let byte = bytes[offset]
            if byte == UInt8(ascii: "\"") {
                offset += 1
                return try decoded.withUnsafeBytes { try body($0) }
            }
            if byte == UInt8(ascii: "\\") {
                try readEscape(into: &decoded)
                continue
            }
            let runStart = offset
            try checkStringByte(byte)
            skipPlainStringBytes()
            decoded.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<offset]))
        }
    }

    /// Validates one character of a string (a control character is an error; UTF-8 must be well formed)
    /// and moves past it.
    @inline(__always)
    private mutating func checkStringByte(_ byte: UInt8) throws {
        if byte < 0x20 {
            throw JSONReadError(offset: offset, "control character 0x\(String(byte, radix: 16, uppercase: true)) in a string must be escaped")
        }
        if byte < 0x80 {
            offset += 1
            return
        }
        offset += try utf8SequenceLength(at: offset)
    }

    /// The length of the well-formed UTF-8 sequence at `index`, or an error.
    private func utf8SequenceLength(at index: Int) throws -> Int {
        let lead = bytes[index]
        let length: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; high = 0x9F
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default: throw JSONReadError(offset: index, "invalid UTF-8 in a string")
        }
        guard index + length <= bytes.count else { throw JSONReadError(offset: index, "invalid UTF-8 in a string") }
        let second = bytes[index + 1]
        guard second >= low && second <= high else { throw JSONReadError(offset: index, "invalid UTF-8 in a string") }
        for next in (index + 2)..<(index + length) where bytes[next] & 0xC0 != 0x80 {
            throw JSONReadError(offset: index, "invalid UTF-8 in a string")
        }
        return length
    }

    /// Decodes one escape sequence (the reader is on its backslash) and appends its UTF-8 bytes.
    private mutating func readEscape(into decoded: inout [UInt8]) throws {
        let escapeStart = offset
        guard offset + 1 < bytes.count else { throw JSONReadError(offset: escapeStart, "unterminated string") }
        let letter = bytes[offset + 1]
        offset += 2
        switch letter {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded.append(letter)
        case UInt8(ascii: "b"): decoded.append(0x08)
        case UInt8(ascii: "f"): decoded.append(0x0C)
        case UInt8(ascii: "n"): decoded.append(0x0A)
        case UInt8(ascii: "r"): decoded.append(0x0D)
        case UInt8(ascii: "t"): decoded.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try readHex4(escapeStart: escapeStart)
            if scalar >= 0xDC00 && scalar <= 0xDFFF {
                throw JSONReadError(offset: escapeStart, "lone low surrogate \\u\(hex4(scalar)) in a string")
            }
            if scalar >= 0xD800 && scalar <= 0xDBFF {
                guard offset + 1 < bytes.count, bytes[offset] == UInt8(ascii: "\\"), bytes[offset + 1] == UInt8(ascii: "u") else {
                    throw JSONReadError(offset: escapeStart, "lone high surrogate \\u\(hex4(scalar)) in a string")
                }
                let lowStart = offset
                offset += 2
                let low = try readHex4(escapeStart: lowStart)
                guard low >= 0xDC00 && low <= 0xDFFF else {
                    throw JSONReadError(offset: escapeStart, "lone high surrogate \\u\(hex4(scalar)) in a string")
                }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            }
            appendUTF8(scalar, to: &decoded)
        default:
            throw JSONReadError(offset: escapeStart, "invalid escape \(describeByte(at: escapeStart + 1)) in a string")
        }
    }

    private mutating func readHex4(escapeStart: Int) throws -> UInt32 {
        guard offset + 4 <= bytes.count else {
            throw JSONReadError(offset: escapeStart, "a \\u escape needs four hex digits")
        }
        var value: UInt32 = 0
        for index in offset..<(offset + 4) {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw JSONReadError(offset: escapeStart, "a \\u escape needs four hex digits")
            }
            value = value << 4 | UInt32(digit)
        }
        offset += 4
        return value
    }

    private func hex4(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    private func appendUTF8(_ scalar: UInt32, to decoded: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            decoded.append(UInt8(scalar))
        case 0x80..<0x800:
            decoded.append(UInt8(0xC0 | scalar >> 6))
            decoded.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            decoded.append(UInt8(0xE0 | scalar >> 12))
            decoded.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            decoded.append(UInt8(0x80 | scalar & 0x3F))
        default:
            decoded.append(UInt8(0xF0 | scalar >> 18))
            decoded.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            decoded.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            decoded.append(UInt8(0x80 | scalar & 0x3F))
        }
    }
}
