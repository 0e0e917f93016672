/// Formats the shortest round-trip digits of a floating-point value the way ECMAScript's
/// `Number.prototype.toString` does, which is also what protobuf's Go and C++ JSON printers produce:
/// plain decimals from 1e-6 up to 1e21 (`100`, `0.001`, `1.5`), exponent form outside (`1e+21`, `1e-7`).
enum ShortestNumberFormat {
    /// Appends the formatted value of `description`, a finite value's Swift `description` (which holds the
    /// shortest digits that read back to the same value: `1.5e+20`, `0.001`, `100.0`).
    static func append(digitsOf description: String, to output: inout [UInt8]) {
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
        if isNegative { output.append(UInt8(ascii: "-")) }
        if first == last {
            output.append(UInt8(ascii: "0"))
            return
        }
        let significant = digits[first..<last]
        write(significant: significant, point: point, to: &output)
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
