/// The JSON string form of `google.protobuf.Timestamp`: RFC 3339 (`1972-01-01T10:00:20.021Z`).
///
/// Input takes `Z` or a numeric offset and 0–9 fraction digits; output is always in `Z` with 0, 3, 6 or 9
/// fraction digits. Both sides keep the range 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z.
enum TimestampFormat {
    /// The smallest and largest `seconds` of a valid Timestamp.
    static let minSeconds: Int64 = -62_135_596_800
    static let maxSeconds: Int64 = 253_402_300_799

    /// Parses an RFC 3339 time into seconds and nanoseconds since the Unix epoch.
    static func parse(_ text: UnsafeRawBufferPointer) throws(JSONReadError) -> (seconds: Int64, nanos: Int32) {
        var scanner = DigitScanner(text: text)
        let failure = JSONReadError("invalid Timestamp \(JSONScalarText.shown(text, quoted: true)): expected RFC 3339 like \"1972-01-01T10:00:20.021Z\"")
        guard let year = scanner.digits(4), scanner.skip("-"), let month = scanner.digits(2), scanner.skip("-"),
              let day = scanner.digits(2), scanner.skip("T"), let hour = scanner.digits(2), scanner.skip(":"),
              let minute = scanner.digits(2), scanner.skip(":"), let second = scanner.digits(2)
        else { throw failure }
        var nanos: Int32 = 0
        if scanner.skip(".") {
            guard let fraction = scanner.fraction() else { throw failure }
            nanos = fraction
        }
        var offsetSeconds: Int64 = 0
        if !scanner.skip("Z") {
            let sign: Int64
            if scanner.skip("+") {
                sign = 1
            } else if scanner.skip("-") {
                sign = -1
            } else {
                throw failure
            }
            guard let offsetHour = scanner.digits(2), scanner.skip(":"), let offsetMinute = scanner.digits(2),
                  offsetHour <= 23, offsetMinute <= 59
            else { throw failure }
            offsetSeconds = sign * (offsetHour * 3600 + offsetMinute * 60)
        }
        guard scanner.isAtEnd, year >= 1, (1...12).contains(month), day >= 1,
              day <= CivilCalendar.daysInMonth(year: year, month: month),
              hour <= 23, minute <= 59, second <= 59
        else { throw failure }
        let days = CivilCalendar.daysSinceEpoch(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        guard seconds >= minSeconds && seconds <= maxSeconds else {
            throw JSONReadError("Timestamp \(JSONScalarText.shown(text, quoted: true)) is outside 0001-01-01 to 9999-12-31")
        }
        return (seconds, nanos)
    }

    /// The most bytes a formatted Timestamp takes: `9999-12-31T23:59:59.999999999Z`.
    static let maxLength = 30

    /// Formats seconds and nanoseconds since the epoch, or throws when they are out of range.
    static func format(seconds: Int64, nanos: Int32) throws(JSONReadError) -> String {
        try check(seconds: seconds, nanos: nanos)
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maxLength) { buffer in
            let count = write(seconds: seconds, nanos: nanos, to: buffer.baseAddress!)
            return String(decoding: UnsafeBufferPointer(rebasing: buffer[..<count]), as: UTF8.self)
        }
    }

    /// Throws when seconds or nanoseconds are outside a Timestamp's range.
    static func check(seconds: Int64, nanos: Int32) throws(JSONReadError) {
        guard seconds >= minSeconds && seconds <= maxSeconds else {
            throw JSONReadError("Timestamp seconds \(seconds) is outside 0001-01-01 to 9999-12-31")
        }
        guard nanos >= 0 && nanos <= 999_999_999 else {
            throw JSONReadError("Timestamp nanos \(nanos) is outside 0 to 999999999")
        }
    }

    /// Writes the text of a checked (``check(seconds:nanos:)``) Timestamp to `output`, which has room for
    /// ``maxLength`` bytes, and returns how many it wrote.
    static func write(seconds: Int64, nanos: Int32, to output: UnsafeMutablePointer<UInt8>) -> Int {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = UInt64(seconds - days * 86_400)
        let (year, month, day) = CivilCalendar.date(daysSinceEpoch: days)
        var position = 0
        func field(_ value: UInt64, width: Int, then separator: Unicode.Scalar) {
            ShortDecimalFormat.writeDigits(value, width: width, to: output + position)
            output[position + width] = UInt8(ascii: separator)
            position += width + 1
        }
        field(UInt64(year), width: 4, then: "-")
        field(UInt64(month), width: 2, then: "-")
        field(UInt64(day), width: 2, then: "T")
        field(secondOfDay / 3600, width: 2, then: ":")
        field(secondOfDay / 60 % 60, width: 2, then: ":")
        ShortDecimalFormat.writeDigits(secondOfDay % 60, width: 2, to: output + position)
        position += 2
        let (fraction, width) = fractionParts(nanos)
        if width > 0 {
            output[position] = UInt8(ascii: ".")
            ShortDecimalFormat.writeDigits(fraction, width: width, to: output + position + 1)
            position += width + 1
        }
        output[position] = UInt8(ascii: "Z")
        return position + 1
    }

    /// The fraction shown for `nanos` and its digit count: the fewest of 0, 3, 6, 9 digits that show it exactly.
    static func fractionParts(_ nanos: Int32) -> (value: UInt64, width: Int) {
        let nanos = UInt64(nanos.magnitude)
        if nanos == 0 { return (0, 0) }
        if nanos % 1_000_000 == 0 { return (nanos / 1_000_000, 3) }
        if nanos % 1000 == 0 { return (nanos / 1000, 6) }
        return (nanos, 9)
    }

    /// `.021`, `.000021`, `.000000021` or nothing: the fewest of 0, 3, 6, 9 digits that show `nanos` exactly.
    static func fractionDigits(_ nanos: Int32) -> String {
        let (value, width) = fractionParts(nanos)
        return width == 0 ? "" : "." + pad(Int64(value), width)
    }

    static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}

/// Reads fixed-width decimal fields and literal characters from text.
struct DigitScanner {
    let text: UnsafeRawBufferPointer
    var index = 0

    var isAtEnd: Bool { index == text.count }

    /// Exactly `count` digits as a number, or `nil`.
    mutating func digits(_ count: Int) -> Int64? {
        guard index + count <= text.count else { return nil }
        var value: Int64 = 0
        for position in index..<(index + count) {
            guard JSONNumber.isDigit(text[position]) else { return nil }
            value = value * 10 + Int64(text[position] - UInt8(ascii: "0"))
        }
        index += count
        return value
    }

    /// One to nine digits after a decimal point, as nanoseconds.
    mutating func fraction() -> Int32? {
        var value: Int32 = 0
        var count = 0
        while index < text.count && JSONNumber.isDigit(text[index]) {
            guard count < 9 else { return nil }
            value = value * 10 + Int32(text[index] - UInt8(ascii: "0"))
            count += 1
            index += 1
        }
        guard count > 0 else { return nil }
        for _ in count..<9 { value *= 10 }
        return value
    }

    /// Consumes `character` when it is next.
    mutating func skip(_ character: Unicode.Scalar) -> Bool {
        guard index < text.count, text[index] == UInt8(character.value) else { return false }
        index += 1
        return true
    }
}

/// Proleptic Gregorian calendar arithmetic (days from and to a civil date).
enum CivilCalendar {
    static func isLeapYear(_ year: Int64) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days from 1970-01-01 to the given date.
    static func daysSinceEpoch(year: Int64, month: Int64, day: Int64) -> Int64 {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date `days` after 1970-01-01.
    static func date(daysSinceEpoch days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
