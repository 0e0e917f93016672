import NIOCore
import NIOHTTP1
import PorticoCore
import PorticoConfig
import PorticoHTTP2

/// The typed context of one request as it crosses the pipeline: the snapshot it started with, the
/// version it selected, the response headers gathered so far and the access-log record.
struct Exchange: Sendable {
    let snapshot: GatewaySnapshot
    let started: NIODeadline
    var record: AccessRecord
    var headers: HTTPHeaders
    var version: APIVersion?
    /// Fired when the client goes away; the answer is then only logged, as 499.
    let cancellation: RequestCancellation
    /// The matched route's metrics, once a route matched.
    var metrics: RouteMetrics?
    /// The request's server span, or the caller's trace context to pass on; `nil` when neither.
    var trace: RequestTrace?
    /// The `Origin` of a cross-origin request (not a preflight), whose answer gets CORS headers.
    var origin: String?
    /// The CORS policy of the answer: the gateway's, then the matched route's.
    var cors: CORSPolicy?
    /// The cache key this request calls the backend for, when its route is cached.
    var cacheFlight: CacheFlight?

    init(snapshot: GatewaySnapshot, started: NIODeadline, record: AccessRecord, headers: HTTPHeaders, cancellation: RequestCancellation) {
        self.snapshot = snapshot
        self.started = started
        self.record = record
        self.headers = headers
        self.cancellation = cancellation
    }

    mutating func noteUpstreamEnd(grpcStatus: Int) {
        record.grpcStatus = grpcStatus
        record.upstreamMicroseconds = Int((NIODeadline.now() - started).nanoseconds / 1000)
    }

    /// Adds the allow-listed backend metadata, initial and trailing, to the response headers, and returns
    /// what it added (a cached answer keeps it).
    mutating func forward(_ headerMetadata: GRPCMetadata, _ trailers: GRPCMetadata) -> [(String, String)] {
        var forwarded = HTTPHeaders()
        snapshot.forwarder.addResponseHeaders(from: headerMetadata, to: &forwarded)
        snapshot.forwarder.addResponseHeaders(from: trailers, to: &forwarded)
        headers.add(contentsOf: forwarded)
        return forwarded.map { ($0.name, $0.value) }
    }
}
