/// Formats the shortest round-trip digits of a floating-point value the way ECMAScript's
/// `Number.prototype.toString` does, which is also what protobuf's Go and C++ JSON printers produce:
/// plain decimals from 1e-6 up to 1e21 (`100`, `0.001`, `1.5`), exponent form outside (`1e+21`, `1e-7`).
/// A `float` gets Python `json_format`'s digits: at least 6 significant, as few as read back exactly.
enum ShortestNumberFormat {
    /// Appends the formatted value of `description`, a finite value's Swift `description` (which holds the
    /// shortest digits that read back to the same value: `1.5e+20`, `0.001`, `100.0`).
    static func append(digitsOf description: String, to output: inout [UInt8]) {
        if appendPlainDecimal(description, to: &output) { return }
        let (isNegative, digits, point) = decompose(description)
        if isNegative { output.append(UInt8(ascii: "-")) }
        if digits.isEmpty {
            output.append(UInt8(ascii: "0"))
            return
        }
        write(significant: digits[...], point: point, to: &output)
    }

    /// Swift writes values from 1e-4 up to 2^53 as plain decimals (`100.0`, `0.001`), which is the
    /// ECMAScript form once a trailing `.0` is dropped; appends that and returns `true`, or `false` for an
    /// exponent form.
    private static func appendPlainDecimal(_ description: String, to output: inout [UInt8]) -> Bool {
        var description = description
        return description.withUTF8 { utf8 in
            guard !utf8.contains(UInt8(ascii: "e")) else { return false }
            var count = utf8.count
            if count >= 2 && utf8[count - 2] == UInt8(ascii: ".") && utf8[count - 1] == UInt8(ascii: "0") {
                count -= 2
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[0..<count]))
            return true
        }
    }

    /// Appends a `float` as Python's `json_format` writes it: the value rounded to the fewest significant
    /// digits, at least 6, that read back as the same float (`0.1`, `4.2039e-45`).
    static func append(float value: Float, to output: inout [UInt8]) {
        let (isNegative, digits, point) = decompose(Double(value).description)
        if isNegative { output.append(UInt8(ascii: "-")) }
        if digits.isEmpty {
            output.append(UInt8(ascii: "0"))
            return
        }
        for precision in 6..<17 {
            let (rounded, roundedPoint) = round(digits, point: point, to: precision)
            var text = "0." + String(decoding: rounded, as: UTF8.self) + "e" + String(roundedPoint)
            if isNegative { text = "-" + text }
            if let candidate = Double(text), Float(candidate) == value {
                return write(significant: rounded[...], point: roundedPoint, to: &output)
            }
        }
        write(significant: digits[...], point: point, to: &output)
    }

    /// The sign, the significant digits (no leading or trailing zeros) and the point position of a Swift
    /// number description, so the value is `0.d1d2… × 10^point`.
    private static func decompose(_ description: String) -> (isNegative: Bool, digits: [UInt8], point: Int) {
        var digits: [UInt8] = []
        digits.reserveCapacity(20)
        var isNegative = false
        var pointPosition: Int?
        var exponent = 0
        var exponentNegative = false
        var inExponent = false
        for byte in description.utf8 {
            switch byte {
            case UInt8(ascii: "-"):
                if inExponent { exponentNegative = true } else { isNegative = true }
            case UInt8(ascii: "+"):
                continue
            case UInt8(ascii: "."):
                pointPosition = digits.count
            case UInt8(ascii: "e"), UInt8(ascii: "E"):
                inExponent = true
            default:
                if inExponent {
                    exponent = exponent * 10 + Int(byte - UInt8(ascii: "0"))
                } else {
                    digits.append(byte)
                }
            }
        }
        var point = (pointPosition ?? digits.count) + (exponentNegative ? -exponent : exponent)
        var first = 0
        while first < digits.count && digits[first] == UInt8(ascii: "0") {
            first += 1
            point -= 1
        }
        var last = digits.count
        while last > first && digits[last - 1] == UInt8(ascii: "0") { last -= 1 }
        return (isNegative, Array(digits[first..<last]), point)
    }

    /// Digits rounded to `precision` significant digits (an exact tie to even, as `%g` does), trailing
    /// zeros removed.
    private static func round(_ digits: [UInt8], point: Int, to precision: Int) -> ([UInt8], Int) {
        guard digits.count > precision else { return (digits, point) }
        var kept = Array(digits[0..<precision])
        var point = point
        let isTie = digits[precision] == UInt8(ascii: "5") && digits.count == precision + 1
        let lastKeptIsOdd = (kept[precision - 1] - UInt8(ascii: "0")) % 2 == 1
        if digits[precision] > UInt8(ascii: "5") || (digits[precision] == UInt8(ascii: "5") && (!isTie || lastKeptIsOdd)) {
            var index = precision - 1
            while index >= 0 {
                if kept[index] == UInt8(ascii: "9") {
                    kept[index] = UInt8(ascii: "0")
                    index -= 1
                } else {
                    kept[index] += 1
                    break
                }
            }
            if index < 0 {
                kept.insert(UInt8(ascii: "1"), at: 0)
                point += 1
            }
        }
        while let last = kept.last, last == UInt8(ascii: "0") { kept.removeLast() }
        return (kept, point)
    }

    /// Writes digits `d1 d2 … dk` scaled so the value is `0.d1d2…dk × 10^point`.
    private static func write(significant: ArraySlice<UInt8>, point: Int, to output: inout [UInt8]) {
        let count = significant.count
        if point >= count && point <= 21 {
            output.append(contentsOf: significant)
            output.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: point - count))
        } else if point > 0 && point <= 21 {
            output.append(contentsOf: significant.prefix(point))
            output.append(UInt8(ascii: "."))
            output.append(contentsOf: significant.dropFirst(point))
        } else if point > -6 && point <= 0 {
            output.append(UInt8(ascii: "0"))
            output.append(UInt8(ascii: "."))
            output.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: -point))
            output.append(contentsOf: significant)
        } else {
            output.append(significant[significant.startIndex])
            if count > 1 {
                output.append(UInt8(ascii: "."))
                output.append(contentsOf: significant.dropFirst())
            }
            let exponent = point - 1
            output.append(UInt8(ascii: "e"))
            output.append(exponent < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
            output.append(contentsOf: Array(String(abs(exponent)).utf8))
        }
    }
}
