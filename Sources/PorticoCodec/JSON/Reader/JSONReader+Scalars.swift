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
        let start = offset
        if let (isNegative, magnitude) = readPlainInteger() {
            let limit: UInt64 = type == .int32 ? UInt64(Int32.max) : UInt64(Int64.max)
            if magnitude <= limit { return isNegative ? -Int64(magnitude) : Int64(magnitude) }
            if isNegative && magnitude == limit + 1 { return Int64(bitPattern: 0 &- magnitude) }
            offset = start
        }
        return try readNumeric(expected: "an integer") { text, quoted throws(JSONReadError) in
            try JSONScalarText.signedInteger(text, quoted: quoted, type: type)
        }
    }

    /// Reads an unsigned integer of `type`, written as a number or a string.
    mutating func readUnsignedInteger(_ type: JSONIntegerType) throws -> UInt64 {
        let start = offset
        if let (isNegative, magnitude) = readPlainInteger() {
            let limit: UInt64 = type == .uint32 ? UInt64(UInt32.max) : UInt64.max
            if !isNegative && magnitude <= limit { return magnitude }
            offset = start
        }
        return try readNumeric(expected: "an integer") { text, quoted throws(JSONReadError) in
            try JSONScalarText.unsignedInteger(text, quoted: quoted, type: type)
        }
    }

    /// Reads a `double`: a number, or a string holding a number, `NaN`, `Infinity` or `-Infinity`.
    mutating func readDouble() throws -> Double {
        if let value = readShortDecimal() { return value }
        return try readNumeric(expected: "a number") { text, quoted throws(JSONReadError) in
            try JSONScalarText.double(text, quoted: quoted)
        }
    }

    /// Reads a `float`, with the float range checked.
    mutating func readFloat() throws -> Float {
        if let value = readShortDecimal() { return Float(value) }
        return try readNumeric(expected: "a number") { text, quoted throws(JSONReadError) in
            try JSONScalarText.float(text, quoted: quoted)
        }
    }

    // MARK: - Fast paths

    /// The common integer forms, `123`, `-7` and `"1234567890123"` (up to 19 digits, no exponent or
    /// fraction, no leading zero), read in one pass; anything else returns `nil` with nothing consumed, for
    /// the general path to read or reject.
    @inline(__always)
    private mutating func readPlainInteger() -> (isNegative: Bool, magnitude: UInt64)? {
        skipWhitespace()
        let count = bytes.count
        var index = offset
        guard index < count else { return nil }
        let isQuoted = bytes[index] == UInt8(ascii: "\"")
        if isQuoted { index += 1 }
        let isNegative = index < count && bytes[index] == UInt8(ascii: "-")
        if isNegative { index += 1 }
        let digitsStart = index
        var magnitude: UInt64 = 0
        while index < count && index - digitsStart < 19 {
            let digit = bytes[index] &- UInt8(ascii: "0")
            if digit > 9 { break }
            magnitude = magnitude &* 10 &+ UInt64(digit)
            index += 1
        }
        let digitCount = index - digitsStart
        guard digitCount > 0, digitCount == 1 || bytes[digitsStart] != UInt8(ascii: "0") else { return nil }
        if isQuoted {
            guard index < count, bytes[index] == UInt8(ascii: "\"") else { return nil }
            index += 1
        } else if index < count && Self.continuesNumber(bytes[index]) {
            return nil
        }
        offset = index
        return (isNegative, magnitude)
    }

    /// An unquoted number without exponent, with at most 19 significant digits and 22 fraction digits, read
    /// in one pass. Up to 15 digits, the digits and the power of ten are exact as `Double`s, so one division
    /// gives the correctly rounded value; 16 to 19 digits go through ``roundedQuotient(_:dividedByPowerOfTen:)``.
    /// Either way the value is the one the general path (`strtod`) reads. Anything else returns `nil` with
    /// nothing consumed.
    @inline(__always)
    private mutating func readShortDecimal() -> Double? {
        skipWhitespace()
        let count = bytes.count
        var index = offset
        let isNegative = index < count && bytes[index] == UInt8(ascii: "-")
        if isNegative { index += 1 }
        guard index < count else { return nil }
        let leadsWithZero = bytes[index] == UInt8(ascii: "0")
        var significand: UInt64 = 0
        var significantDigits = 0
        let integerStart = index
        while index < count {
            let digit = bytes[index] &- UInt8(ascii: "0")
            if digit > 9 { break }
            significand = significand &* 10 &+ UInt64(digit)
            if significantDigits > 0 || digit != 0 { significantDigits += 1 }
            index += 1
        }
        let integerDigits = index - integerStart
        guard integerDigits > 0, integerDigits == 1 || !leadsWithZero else { return nil }
        var fractionDigits = 0
        if index < count && bytes[index] == UInt8(ascii: ".") {
            index += 1
            let fractionStart = index
            while index < count {
                let digit = bytes[index] &- UInt8(ascii: "0")
                if digit > 9 { break }
                significand = significand &* 10 &+ UInt64(digit)
                if significantDigits > 0 || digit != 0 { significantDigits += 1 }
                index += 1
            }
            fractionDigits = index - fractionStart
            guard fractionDigits > 0 else { return nil }
        }
        guard significantDigits <= 19, index >= count || !Self.continuesNumber(bytes[index]) else { return nil }
        guard fractionDigits <= 22 else { return nil }
        offset = index
        var value: Double
        if significantDigits <= 15 {
            value = Double(significand)
            if fractionDigits > 0 { value /= Self.exactPowersOfTen[fractionDigits] }
        } else {
            value = Self.roundedQuotient(significand, dividedByPowerOfTen: fractionDigits)
        }
        return isNegative ? -value : value
    }

    /// The `double` nearest `significand / 10^k` (ties to even), for `significand` of 16 to 19 digits and
    /// `k` in `0...22`: the decimals a `double` prints as, which the short path cannot take exactly.
    ///
    /// `10^k = 5^k · 2^k` and `5^k < 2^52`, so one 128-by-64-bit division gives a quotient of at least 63
    /// bits and a remainder; rounding that quotient to 53 bits, with the remainder as the sticky bit, is the
    /// correctly rounded result (which `strtod` also gives), scaled by a power of two.
    static func roundedQuotient(_ significand: UInt64, dividedByPowerOfTen k: Int) -> Double {
        var quotient = significand
        var isInexact = false
        var scale = 0
        if k > 0 {
            var five: UInt64 = 1
            for _ in 0..<k { five &*= 5 }
            let significandBits = 64 - significand.leadingZeroBitCount
            let fiveBits = 64 - five.leadingZeroBitCount
            let shift = 63 - significandBits + fiveBits
            let high = shift >= 64 ? significand << UInt64(shift - 64) : (shift == 0 ? 0 : significand >> UInt64(64 - shift))
            let low = shift >= 64 ? 0 : significand << UInt64(shift)
            let (q, remainder) = five.dividingFullWidth((high: high, low: low))
            quotient = q
            isInexact = remainder != 0
            scale = -shift - k
        }
        let dropped = max(0, (64 - quotient.leadingZeroBitCount) - 53)
        var mantissa = quotient >> UInt64(dropped)
        if dropped > 0 {
            let rest = quotient & ((1 << UInt64(dropped)) - 1)
            let half: UInt64 = 1 << UInt64(dropped - 1)
            if rest > half || (rest == half && (isInexact || mantissa & 1 == 1)) {
                mantissa += 1
            }
        }
        return Double(sign: .plus, exponent: dropped + scale, significand: Double(mantissa))
    }

    private static let exactPowersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// Whether a byte may continue a number token (so a fast path that stopped before it must give way).
    @inline(__always)
    private static func continuesNumber(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"),
             UInt8(ascii: "+"), UInt8(ascii: "-"):
            true
        default:
            false
        }
    }
}
