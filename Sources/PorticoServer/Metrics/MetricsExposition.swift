import NIOCore
import NIOHTTP1
import Prometheus

/// The `/metrics` answer: the Prometheus text format (0.0.4), or OpenMetrics 1.0 when the scraper's `Accept`
/// asks for `application/openmetrics-text`.
///
/// OpenMetrics differs from the text format in what we emit only in two ways: a counter family is named
/// without its `_total` suffix on the `# HELP` and `# TYPE` lines (its samples keep it), and the exposition
/// ends with `# EOF`.
enum MetricsExposition {
    static let textContentType = "text/plain; version=0.0.4; charset=utf-8"
    static let openMetricsContentType = "application/openmetrics-text; version=1.0.0; charset=utf-8"

    /// Whether an `Accept` header prefers OpenMetrics (listed, with a non-zero quality).
    static func prefersOpenMetrics(_ accept: [String]) -> Bool {
        for value in accept {
            for range in value.split(separator: ",") {
                let parameters = range.split(separator: ";").map { $0.trimmingWhitespace() }
                guard parameters.first?.lowercased() == "application/openmetrics-text" else { continue }
                let quality = parameters.dropFirst().first { $0.lowercased().hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
                if quality > 0 { return true }
            }
        }
        return false
    }

    /// Renders `registry` in the format `accept` asks for.
    static func render(_ registry: PrometheusCollectorRegistry, accept: [String]) -> (contentType: String, body: ByteBuffer) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16 * 1024)
        registry.emit(into: &bytes)
        guard prefersOpenMetrics(accept) else { return (textContentType, ByteBuffer(bytes: bytes)) }
        return (openMetricsContentType, ByteBuffer(bytes: openMetrics(fromText: bytes)))
    }

    /// Rewrites the text format as OpenMetrics.
    static func openMetrics(fromText text: [UInt8]) -> [UInt8] {
        var counters: Set<Substring> = []
        let lines = text.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true).map { Substring(decoding: $0, as: UTF8.self) }
        for line in lines where line.hasPrefix("# TYPE ") && line.hasSuffix(" counter") {
            counters.insert(line.dropFirst("# TYPE ".count).prefix { $0 != " " })
        }
        var output = ""
        output.reserveCapacity(text.count + 64)
        for line in lines {
            output += counterFamilyLine(line, counters: counters) ?? line
            output += "\n"
        }
        output += "# EOF\n"
        return Array(output.utf8)
    }

    /// A `# HELP` or `# TYPE` line of a counter, named without `_total`; `nil` for any other line.
    private static func counterFamilyLine(_ line: Substring, counters: Set<Substring>) -> Substring? {
        for prefix in ["# HELP ", "# TYPE "] where line.hasPrefix(prefix) {
            let rest = line.dropFirst(prefix.count)
            let name = rest.prefix { $0 != " " }
            guard counters.contains(name), name.hasSuffix("_total") else { return nil }
            return Substring(prefix + name.dropLast("_total".count) + rest.dropFirst(name.count))
        }
        return nil
    }
}

extension Substring {
    fileprivate func trimmingWhitespace() -> Substring {
        var trimmed = self
        while trimmed.first == " " || trimmed.first == "\t" { trimmed.removeFirst() }
        while trimmed.last == " " || trimmed.last == "\t" { trimmed.removeLast() }
        return trimmed
    }
}
