import NIOCore
import PorticoCodec
import Synchronization

/// Where access-log lines go: one JSON object per request, written whole.
package protocol AccessLogSink: Sendable {
    func write(line: [UInt8])
}

/// Writes access-log lines to standard output, one `write` per line under a lock so lines never interleave.
package final class StandardOutputAccessLog: AccessLogSink {
    private let lock = Mutex(())

    package init() {}

    package func write(line: [UInt8]) {
        lock.withLock { _ in
            var bytes = line
            bytes.append(UInt8(ascii: "\n"))
            bytes.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = systemWrite(1, buffer.baseAddress! + offset, buffer.count - offset)
                    if written <= 0 { return }
                    offset += written
                }
            }
        }
    }
}

/// What the access log records of one request. Only the path is logged, never the query string or
/// headers, which may carry credentials.
struct AccessRecord {
    var requestID: String
    var method: String
    var path: Substring
    var route = ""
    var version = ""
    var status = 0
    var grpcStatus: Int?
    var bytesIn: Int
    var bytesOut = 0
    var durationMicroseconds = 0
    var upstreamMicroseconds: Int?
    var error: String?

    func line() -> [UInt8] {
        var object = JSONObjectBuilder()
        object.add("request_id", requestID)
        object.add("method", method)
        object.add("path", String(path.prefix(512)))
        object.add("route", route)
        object.add("version", version)
        object.add("status", status)
        if let grpcStatus { object.add("grpc_status", grpcStatus) }
        object.add("bytes_in", bytesIn)
        object.add("bytes_out", bytesOut)
        object.add("duration_ms", Double(durationMicroseconds) / 1000)
        if let upstreamMicroseconds { object.add("upstream_ms", Double(upstreamMicroseconds) / 1000) }
        if let error { object.add("error", error) }
        return object.finish()
    }
}
