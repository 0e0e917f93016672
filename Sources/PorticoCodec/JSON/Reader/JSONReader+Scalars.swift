extension JSONReader {
    /// Reads a number token and hands its text to `body`; the token is checked against the JSON grammar.
    mutating func withNumberText<T>(_ body: (UnsafeRawBufferPointer) throws(JSONReadError) -> T) throws(JSONReadError) -> T {
        skipWhitespace()
        let start = offset
        let length = JSONNumber.tokenLength(in: bytes, from: start)
        let text = UnsafeRawBufferPointer(rebasing: bytes[start..<(start + length)])
        guard length > 0, JSONNumber(text: text) != nil else {
            throw JSONReadError(offset: start, "invalid number \(JSONScalarText.shown(text, quoted: false))")
        }
        offset += length
        return try body(text)
    }

    /// Reads and validates a number token, discarding it.
    mutating func readNumberToken() throws(JSONReadError) {
        try withNumberText { _ in () }
    }

    /// Reads a value that may be a number or a quoted number and converts its text with `convert`.
    private mutating func readNumeric<T>(
        expected: String,
        _ convert: (UnsafeRawBufferPointer, Bool) throws(JSONReadError) -> T
    ) throws -> T {
        switch try peekKind() {
        case .number:
            return try withNumberText { text throws(JSONReadError) in try convert(text, false) }
        case .string:
            return try withStringBytes { text in try convert(text, true) }
        case let kind:
            throw JSONReadError("expected \(expected), got \(kind.noun)")
        }
    }

    /// Reads an integer of `type`, written as a number or a string; exponent forms count when integral.
    mutating func readSignedInteger(_ type: JSONIntegerType) throws -> Int64 {
        try readNumeric(expected: "an integer") { text, quoted throws(JSONReadError) in
            try JSONScalarText.signedInteger(text, quoted: quoted, type: type)
        }
    }

    /// Reads an unsigned integer of `type`, written as a number or a string.
    mutating func readUnsignedInteger(_ type: JSONIntegerType) throws -> UInt64 {
        try readNumeric(expected: "an integer") { text, quoted throws(JSONReadError) in
            try JSONScalarText.unsignedInteger(text, quoted: quoted, type: type)
        }
    }

    /// Reads a `double`: a number, or a string holding a number, `NaN`, `Infinity` or `-Infinity`.
    mutating func readDouble() throws -> Double {
        try readNumeric(expected: "a number") { text, quoted throws(JSONReadError) in
            try JSONScalarText.double(text, quoted: quoted)
        }
    }

    /// Reads a `float`, with the float range checked.
    mutating func readFloat() throws -> Float {
        try readNumeric(expected: "a number") { text, quoted throws(JSONReadError) in
            try JSONScalarText.float(text, quoted: quoted)
        }
    }
}
