/// The JSON string form of `google.protobuf.Duration`: seconds with an `s` suffix (`"1.5s"`, `"-0.000000001s"`).
///
/// Input takes 0–9 fraction digits; output writes 0, 3, 6 or 9. The range is ±315,576,000,000 seconds
/// (10,000 years); seconds and nanos carry the same sign.
enum DurationFormat {
    static let maxSeconds: Int64 = 315_576_000_000

    /// Parses `"<seconds>[.<fraction>]s"` with an optional leading `-`.
    static func parse(_ text: UnsafeRawBufferPointer) throws(JSONReadError) -> (seconds: Int64, nanos: Int32) {
        let failure = JSONReadError("invalid Duration \(JSONScalarText.shown(text, quoted: true)): expected seconds with an 's' suffix like \"1.5s\"")
        var scanner = DigitScanner(text: text)
        let isNegative = scanner.skip("-")
        var seconds: Int64 = 0
        var digitCount = 0
        while scanner.index < text.count && JSONNumber.isDigit(text[scanner.index]) {
            guard digitCount < 12 else {
                throw JSONReadError("Duration \(JSONScalarText.shown(text, quoted: true)) is outside ±315576000000s")
            }
            seconds = seconds * 10 + Int64(text[scanner.index] - UInt8(ascii: "0"))
            digitCount += 1
            scanner.index += 1
        }
        guard digitCount > 0 else { throw failure }
        var nanos: Int32 = 0
        if scanner.skip(".") {
            guard let fraction = scanner.fraction() else { throw failure }
            nanos = fraction
        }
        guard scanner.skip("s"), scanner.isAtEnd else { throw failure }
        guard seconds <= maxSeconds else {
            throw JSONReadError("Duration \(JSONScalarText.shown(text, quoted: true)) is outside ±315576000000s")
        }
        return isNegative ? (-seconds, -nanos) : (seconds, nanos)
    }

    /// Formats a Duration, or throws when it is out of range or its signs disagree.
    static func format(seconds: Int64, nanos: Int32) throws(JSONReadError) -> String {
        guard seconds >= -maxSeconds && seconds <= maxSeconds else {
            throw JSONReadError("Duration seconds \(seconds) is outside ±315576000000")
        }
        guard nanos > -1_000_000_000 && nanos < 1_000_000_000 else {
            throw JSONReadError("Duration nanos \(nanos) is outside ±999999999")
        }
        guard (seconds >= 0 && nanos >= 0) || (seconds <= 0 && nanos <= 0) else {
            throw JSONReadError("Duration seconds \(seconds) and nanos \(nanos) have different signs")
        }
        let sign = seconds < 0 || nanos < 0 ? "-" : ""
        return sign + String(seconds.magnitude) + TimestampFormat.fractionDigits(Int32(nanos.magnitude)) + "s"
    }
}
