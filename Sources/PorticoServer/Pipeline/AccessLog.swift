import NIOCore
import PorticoCodec
import Synchronization

/// Where access-log lines go: one JSON object per request, written whole.
package protocol AccessLogSink: Sendable {
    func write(line: [UInt8])

    /// Lines dropped so far because the destination did not keep up (0 for a sink that never drops).
    var droppedLines: Int { get }
}

extension AccessLogSink {
    package var droppedLines: Int { 0 }
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
    var traceID: String?
    var spanID: String?

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
        if let traceID { object.add("trace_id", traceID) }
        if let spanID { object.add("span_id", spanID) }
        return object.finish()
    }
}
