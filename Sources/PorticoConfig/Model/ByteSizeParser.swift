/// Parses byte sizes of mapping files: a whole number with an optional unit (`1048576`, `64KiB`, `4MiB`, `1MB`).
public enum ByteSizeParser {
    /// The number of bytes written, or `nil` when the text is not a size.
    public static func parse(_ text: String) -> Int? {
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, let number = Int(digits) else { return nil }
        guard let multiplier = multipliers[String(text.dropFirst(digits.count))] else { return nil }
        let (bytes, overflow) = number.multipliedReportingOverflow(by: multiplier)
        return overflow ? nil : bytes
    }

    private static let multipliers: [String: Int] = [
        "": 1, "B": 1,
        "KB": 1_000, "MB": 1_000_000, "GB": 1_000_000_000,
        "KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30,
    ]
}
