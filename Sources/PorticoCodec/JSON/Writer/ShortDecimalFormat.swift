/// Writes the shortest round-trip digits of a `double` with at most 15 significant digits, between 1e-6
/// and 1e15, without formatting a `String`: the common case of prices, quantities and measurements.
///
/// A decimal of at most 15 significant digits is the only one of that length that reads back as its
/// `double` (15-digit decimals are spaced wider than a `double`'s rounding interval), so the value scaled to
/// 15 significant digits and rounded is it, if any is; the check is one exact division (the digits and the
/// power of ten are exact, so the quotient is the correctly rounded reading). Its trailing zeros dropped, it
/// is the shortest form, the same digits `Double.description` finds, written as ECMAScript writes numbers in
/// this range: plain decimals (`100`, `0.001`, `1.5`). Every other value is left to ``ShortestNumberFormat``.
enum ShortDecimalFormat {
    /// The most bytes ``write(_:to:)`` writes: a sign, `0.`, five zeros and 15 digits.
    static let maxLength = 24

    /// `10^n` for `n` in `0...22`, each exact. A `switch` of constants compiles to a table in read-only
    /// memory: no lazy global, no array.
    @inline(__always)
    static func powerOfTen(_ exponent: Int) -> Double {
        switch exponent {
        case 0: 1e0
        case 1: 1e1
        case 2: 1e2
        case 3: 1e3
        case 4: 1e4
        case 5: 1e5
        case 6: 1e6
        case 7: 1e7
        case 8: 1e8
        case 9: 1e9
        case 10: 1e10
        case 11: 1e11
        case 12: 1e12
        case 13: 1e13
        case 14: 1e14
        case 15: 1e15
        case 16: 1e16
        case 17: 1e17
        case 18: 1e18
        case 19: 1e19
        case 20: 1e20
        case 21: 1e21
        default: 1e22
        }
    }

    /// The `double` nearest `10^n` for `n` in `-7...16`: where each decade starts.
    @inline(__always)
    private static func decadeStart(_ exponent: Int) -> Double {
        switch exponent {
        case ...(-7): 1e-7
        case -6: 1e-6
        case -5: 1e-5
        case -4: 1e-4
        case -3: 1e-3
        case -2: 1e-2
        case -1: 1e-1
        case 0...15: powerOfTen(exponent)
        default: 1e16
        }
    }

    /// Writes a finite `value` at `output` (which has room for ``maxLength`` bytes) and returns the byte
    /// count, or returns 0 and writes nothing when the value needs more than 15 digits or lies outside
    /// [1e-6, 1e15) (zero included).
    static func write(_ value: Double, to output: UnsafeMutablePointer<UInt8>) -> Int {
        let magnitude = value.magnitude
        guard magnitude >= 1e-6, magnitude < 1e15 else { return 0 }
        // log10(2) ≈ 78913 / 2^18: the decade of 2^e is this or the next one.
        let binaryExponent = Int(truncatingIfNeeded: magnitude.bitPattern >> 52) - 1023
        var decade = (binaryExponent * 78913) >> 18
        if magnitude >= decadeStart(decade + 1) { decade += 1 }
        var fractionDigits = 14 - decade
        let power = powerOfTen(fractionDigits)
        // Adding and taking away 2^52 rounds a value in [0, 2^52) to the nearest integer without a libm call.
        let scaled = (magnitude * power + 0x1p52) - 0x1p52
        guard scaled < 1e15, scaled / power == magnitude else { return 0 }
        var digits = UInt64(scaled)
        // Trailing zeros (at most 15 can go) come off 8, 4, 2 and 1 at a time.
        stripZeros(&digits, &fractionDigits, step: 8, divisor: 100_000_000)
        stripZeros(&digits, &fractionDigits, step: 4, divisor: 10_000)
        stripZeros(&digits, &fractionDigits, step: 2, divisor: 100)
        stripZeros(&digits, &fractionDigits, step: 1, divisor: 10)
        var position = 0
        if value < 0 {
            output[0] = UInt8(ascii: "-")
            position = 1
        }
        if fractionDigits == 0 {
            return position + writeDigits(digits, to: output + position)
        }
        if Double(digits) >= powerOfTen(fractionDigits) {
            let divisor = UInt64(powerOfTen(fractionDigits))
            let integerPart = digits / divisor
            position += writeDigits(integerPart, to: output + position)
            output[position] = UInt8(ascii: ".")
            position += 1
            writeDigits(digits - integerPart * divisor, width: fractionDigits, to: output + position)
            return position + fractionDigits
        }
        output[position] = UInt8(ascii: "0")
        output[position + 1] = UInt8(ascii: ".")
        position += 2
        writeDigits(digits, width: fractionDigits, to: output + position)
        return position + fractionDigits
    }

    /// Writes the decimal digits of `value` at `output` (room for 20 bytes) and returns their count.
    @discardableResult
    static func writeDigits(_ value: UInt64, to output: UnsafeMutablePointer<UInt8>) -> Int {
        let count = decimalDigitCount(value)
        writeDigits(value, width: count, to: output)
        return count
    }

    @inline(__always)
    private static func stripZeros(_ digits: inout UInt64, _ fractionDigits: inout Int, step: Int, divisor: UInt64) {
        if fractionDigits >= step && digits % divisor == 0 {
            digits /= divisor
            fractionDigits -= step
        }
    }

    /// The two-digit numbers `00` to `99`, one after the other.
    private static let digitPairs: StaticString = """
        00010203040506070809101112131415161718192021222324252627282930313233343536373839\
        40414243444546474849505152535455565758596061626364656667686970717273747576777879\
        8081828384858687888990919293949596979899
        """

    /// Writes `value` as exactly `width` digits, zeros in front, two digits at a time.
    static func writeDigits(_ value: UInt64, width: Int, to output: UnsafeMutablePointer<UInt8>) {
        let pairs = digitPairs.utf8Start
        var remaining = value
        var index = width
        while index >= 2 {
            let pair = Int(remaining % 100) &* 2
            remaining /= 100
            output[index - 2] = pairs[pair]
            output[index - 1] = pairs[pair + 1]
            index -= 2
        }
        if index == 1 {
            output[0] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: remaining % 10)
        }
    }

    private static func decimalDigitCount(_ value: UInt64) -> Int {
        var count = 1
        var bound: UInt64 = 10
        while count < 20 && value >= bound {
            count += 1
            bound = bound &* 10
        }
        return count
    }
}
