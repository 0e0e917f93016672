/// Parses the durations of mapping files: a number and a unit, or several (`250ms`, `2s`, `1.5s`, `1m30s`).
///
/// Units: `ns`, `us`, `ms`, `s`, `m`, `h`. A bare number without a unit is rejected, so `timeout: 5`
/// cannot silently mean five seconds or five milliseconds.
public enum DurationParser {
    /// The duration written, or `nil` when the text is not a duration.
    public static func parse(_ text: String) -> Duration? {
        let scalars = Array(text.utf8)
        guard !scalars.isEmpty else { return nil }
        var total = Duration.zero
        var index = 0
        while index < scalars.count {
            let numberStart = index
            while index < scalars.count, (scalars[index] >= 0x30 && scalars[index] <= 0x39) || scalars[index] == 0x2E {
                index += 1
            }
            guard index > numberStart,
                  let number = Double(String(decoding: scalars[numberStart..<index], as: UTF8.self)) else { return nil }
            let unitStart = index
            while index < scalars.count, scalars[index] >= 0x61, scalars[index] <= 0x7A {
                index += 1
            }
            let unit = String(decoding: scalars[unitStart..<index], as: UTF8.self)
            guard let nanosecondsPerUnit = units[unit] else { return nil }
            let nanoseconds = number * nanosecondsPerUnit
            guard nanoseconds.isFinite, nanoseconds < 1e18 else { return nil }
            total += .nanoseconds(Int64(nanoseconds.rounded()))
        }
        return total
    }

    private static let units: [String: Double] = [
        "ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9, "m": 60e9, "h": 3600e9,
    ]
}
