/// A JSON number (RFC 8259 grammar) taken apart, and its exact conversions to the protobuf scalar types.
///
/// The same type reads unquoted numbers and the quoted forms the proto3 JSON mapping allows (`"1"`,
/// `"1e3"`). Integers are exact: `1e3` and `1.0` are integral, `1.5` is not, and the range of the target type
/// is checked without going through a `Double`.
struct JSONNumber {
    /// The whole number text.
    let text: UnsafeRawBufferPointer
    let isNegative: Bool
    /// Where the integer digits start and the fraction digits start and end within `text`.
    let integerRange: Range<Int>
    let fractionRange: Range<Int>
    /// The written exponent, saturated far beyond any meaningful value.
    let exponent: Int

    private static let exponentLimit = 1_000_000_000

    /// Parses `text` as a JSON number, or returns `nil` when it is not one.
    init?(text: UnsafeRawBufferPointer) {
        var index = 0
        let count = text.count
        let negative = count > 0 && text[0] == UInt8(ascii: "-")
        if negative { index += 1 }
        let integerStart = index
        guard index < count, Self.isDigit(text[index]) else { return nil }
        if text[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            while index < count && Self.isDigit(text[index]) { index += 1 }
        }
        let integerEnd = index
        var fractionStart = index
        var fractionEnd = index
        if index < count && text[index] == UInt8(ascii: ".") {
            index += 1
            fractionStart = index
            while index < count && Self.isDigit(text[index]) { index += 1 }
            fractionEnd = index
            guard fractionEnd > fractionStart else { return nil }
        }
        var exponent = 0
        if index < count && (text[index] == UInt8(ascii: "e") || text[index] == UInt8(ascii: "E")) {
            index += 1
            var exponentNegative = false
            if index < count && (text[index] == UInt8(ascii: "+") || text[index] == UInt8(ascii: "-")) {
                exponentNegative = text[index] == UInt8(ascii: "-")
                index += 1
            }
            let digitsStart = index
            while index < count && Self.isDigit(text[index]) {
                if exponent < Self.exponentLimit {
                    exponent = exponent * 10 + Int(text[index] - UInt8(ascii: "0"))
                }
                index += 1
            }
            guard index > digitsStart else { return nil }
            if exponentNegative { exponent = -exponent }
        }
        guard index == count else { return nil }
        self.text = text
        self.isNegative = negative
        self.integerRange = integerStart..<integerEnd
        self.fractionRange = fractionStart..<fractionEnd
        self.exponent = exponent
    }

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    /// The length of a number token starting at `start` in `bytes`: the longest run of number characters.
    static func tokenLength(in bytes: UnsafeRawBufferPointer, from start: Int) -> Int {
        var index = start
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
                 UInt8(ascii: "e"), UInt8(ascii: "E"):
                index += 1
            default:
                return index - start
            }
        }
        return index - start
    }

    // MARK: - Integers

    /// The digit at position `index` of the integer digits followed by the fraction digits.
    @inline(__always)
    private func digit(_ index: Int) -> UInt8 {
        let integerCount = integerRange.count
        let byte = index < integerCount
            ? text[integerRange.lowerBound + index]
            : text[fractionRange.lowerBound + index - integerCount]
        return byte &- UInt8(ascii: "0")
    }

    /// The significant digits (positions into ``digit(_:)``) and the power of ten that scales them, with
    /// zeros trimmed on both ends.
    private func trimmedDigits() -> (digits: Range<Int>, exponent: Int) {
        let total = integerRange.count + fractionRange.count
        var first = 0
        while first < total && digit(first) == 0 { first += 1 }
        var last = total
        var decimalExponent = exponent - fractionRange.count
        while last > first && digit(last - 1) == 0 {
            last -= 1
            decimalExponent += 1
        }
        return (first..<last, decimalExponent)
    }

    /// The magnitude as an unsigned integer, or why it is not one.
    private func magnitude() -> Result<UInt64, IntegerFailure> {
        let (positions, decimalExponent) = trimmedDigits()
        if positions.isEmpty { return .success(0) }
        if decimalExponent < 0 { return .failure(.notIntegral) }
        if positions.count + decimalExponent > 20 { return .failure(.outOfRange) }
        var value: UInt64 = 0
        for position in positions {
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (added, overflow2) = shifted.addingReportingOverflow(UInt64(digit(position)))
            if overflow1 || overflow2 { return .failure(.outOfRange) }
            value = added
        }
        for _ in 0..<decimalExponent {
            let (shifted, overflow) = value.multipliedReportingOverflow(by: 10)
            if overflow { return .failure(.outOfRange) }
            value = shifted
        }
        return .success(value)
    }

    /// Why a number is not a value of an integer type.
    enum IntegerFailure: Error {
        case notIntegral
        case outOfRange
    }

    /// The value as a signed integer within `min...max`.
    func signedInteger(min: Int64, max: Int64) -> Result<Int64, IntegerFailure> {
        magnitude().flatMap { magnitude in
            if isNegative {
                guard magnitude <= UInt64(bitPattern: Int64.min) else { return .failure(.outOfRange) }
                let value = magnitude == UInt64(bitPattern: Int64.min) ? Int64.min : -Int64(magnitude)
                return value >= min ? .success(value) : .failure(.outOfRange)
            }
            guard magnitude <= UInt64(max) else { return .failure(.outOfRange) }
            return .success(Int64(magnitude))
        }
    }

    /// The value as an unsigned integer up to `max`.
    func unsignedInteger(max: UInt64) -> Result<UInt64, IntegerFailure> {
        magnitude().flatMap { magnitude in
            if isNegative && magnitude != 0 { return .failure(.outOfRange) }
            return magnitude <= max ? .success(magnitude) : .failure(.outOfRange)
        }
    }

    // MARK: - Floating point

    private static let exactPowersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// The nearest `Double`, or `nil` when a finite number is too large for one.
    func double() -> Double? {
        let (positions, decimalExponent) = trimmedDigits()
        if positions.isEmpty { return isNegative ? -0.0 : 0.0 }
        if positions.count <= 15 && abs(decimalExponent) <= 22 {
            var significand: UInt64 = 0
            for position in positions {
                significand = significand * 10 + UInt64(digit(position))
            }
            var value = Double(significand)
            if decimalExponent >= 0 {
                value *= Self.exactPowersOfTen[decimalExponent]
            } else {
                value /= Self.exactPowersOfTen[-decimalExponent]
            }
            return isNegative ? -value : value
        }
        if decimalExponent + positions.count > 400 { return nil }
        if decimalExponent + positions.count < -400 { return isNegative ? -0.0 : 0.0 }
        guard let value = Double(String(decoding: text, as: UTF8.self)), value.isFinite else { return nil }
        return value
    }
}
