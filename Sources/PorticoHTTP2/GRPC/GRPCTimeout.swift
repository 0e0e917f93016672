import NIOCore

/// The `grpc-timeout` header: at most eight ASCII digits and a unit (`H M S m u n`).
///
/// Encoding picks the finest unit whose value fits in eight digits and rounds up, so the server never sees
/// a shorter timeout than the client keeps.
package enum GRPCTimeout {
    private static let units: [(suffix: Character, nanoseconds: Int64)] = [
        ("n", 1), ("u", 1_000), ("m", 1_000_000), ("S", 1_000_000_000), ("M", 60_000_000_000), ("H", 3_600_000_000_000),
    ]
    private static let maximumValue: Int64 = 99_999_999

    /// The header value for a remaining time; non-positive durations become `1n` (already expired).
    static func encode(_ remaining: TimeAmount) -> String {
        let nanoseconds = max(remaining.nanoseconds, 1)
        for unit in units {
            let value = (nanoseconds + unit.nanoseconds - 1) / unit.nanoseconds
            if value <= maximumValue { return "\(value)\(unit.suffix)" }
        }
        return "\(maximumValue)H"
    }

    /// Parses a header value; `nil` when it breaks the grammar.
    package static func decode(_ value: String) -> TimeAmount? {
        guard let suffix = value.last, value.count >= 2, value.count <= 9 else { return nil }
        let digits = value.dropLast()
        guard digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber), let amount = Int64(digits),
            let unit = units.first(where: { $0.suffix == suffix })
        else { return nil }
        let (product, overflow) = amount.multipliedReportingOverflow(by: unit.nanoseconds)
        return .nanoseconds(overflow ? .max : product)
    }
}
