import Foundation
import Logging
import PorticoCodec

/// A `swift-log` handler writing one JSON object per record through a ``LogWriter``: `time` (RFC 3339, UTC,
/// milliseconds), `level`, `logger`, `message`, then the metadata (`request_id`, `trace_id`, `backend`, …)
/// as string fields. `portico serve` bootstraps it for the whole process.
package struct JSONLogHandler: LogHandler {
    package var logLevel: Logger.Level
    package var metadata: Logger.Metadata = [:]
    package var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let writer: LogWriter

    /// A handler for the logger `label`, writing records at `level` and above to `writer`.
    package init(label: String, level: Logger.Level, writer: LogWriter, metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
        self.logLevel = level
        self.writer = writer
        self.metadataProvider = metadataProvider
    }

    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    package func log(event: LogEvent) {
        var object = JSONObjectBuilder()
        object.add("time", Self.timestamp(Date()))
        object.add("level", event.level.rawValue)
        object.add("logger", label)
        object.add("message", event.message.description)
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let own = event.metadata { merged.merge(own) { _, new in new } }
        for key in merged.keys.sorted() where !Self.reserved.contains(key) {
            object.add(key, merged[key]?.description ?? "")
        }
        writer.write(line: object.finish())
    }

    private static let reserved: Set<String> = ["time", "level", "logger", "message"]

    /// `2026-12-06T19:33:07.123Z`.
    static func timestamp(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        var seconds = time_t(milliseconds / 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let millis = Int(milliseconds % 1000)
        let fraction = millis < 10 ? "00\(millis)" : millis < 100 ? "0\(millis)" : "\(millis)"
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)).\(fraction)Z"
    }
}
