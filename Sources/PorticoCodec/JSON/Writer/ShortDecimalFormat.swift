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

    /// `10^n` for `n` in `0...22`, each exact.
    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// The `double` nearest `10^n` for `n` in `-6...15`, at index `n + 6`: the decade bounds.
    private static let decadeBounds: [Double] = [
        1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15,
    ]

    /// Writes a finite `value` at `output` (which has room for ``maxLength`` bytes) and returns the byte
    /// count, or returns 0 and writes nothing when the value needs more than 15 digits or lies outside
    /// [1e-6, 1e15) (zero included).
    static func write(_ value: Double, to output: UnsafeMutablePointer<UInt8>) -> Int {
        let magnitude = value.magnitude
        guard magnitude >= 1e-6, magnitude < 1e15 else { return 0 }
        var decade = Int((Double(magnitude.exponent) * 0.301_029_995_663_981_2).rounded(.down))
        decade = min(max(decade, -6), 14)
        while decade > -6 && magnitude < decadeBounds[decade + 6] { decade -= 1 }
        while decade < 14 && magnitude >= decadeBounds[decade + 7] { decade += 1 }
        var fractionDigits = 14 - decade
        let scaled = (magnitude * powersOfTen[fractionDigits]).rounded()
        guard scaled < 1e15, scaled / powersOfTen[fractionDigits] == magnitude else { return 0 }
        var digits = UInt64(scaled)
        while fractionDigits > 0 && digits % 10 == 0 {
            digits /= 10
            fractionDigits -= 1
        }
        var position = 0
        if value < 0 {
            output[0] = UInt8(ascii: "-")
            position = 1
        }
        let digitCount = decimalDigitCount(digits)
        if fractionDigits == 0 {
            return position + writeDigits(digits, to: output + position)
        }
        if digitCount > fractionDigits {
            let integerPart = digits / UInt64(powersOfTen[fractionDigits])
            position += writeDigits(integerPart, to: output + position)
            output[position] = UInt8(ascii: ".")
            position += 1
            writeDigits(digits - integerPart * UInt64(powersOfTen[fractionDigits]), width: fractionDigits, to: output + position)
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

    /// Writes `value` as exactly `width` digits, zeros in front.
    private static func writeDigits(_ value: UInt64, width: Int, to output: UnsafeMutablePointer<UInt8>) {
        var remaining = value
        var index = width - 1
        while index >= 0 {
            output[index] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: remaining % 10)
            remaining /= 10
            index -= 1
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
