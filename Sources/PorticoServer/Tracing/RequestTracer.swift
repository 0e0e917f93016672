import Instrumentation
import NIOHTTP1
import PorticoHTTP2
import Tracing

/// The gateway's tracing: with a tracer (OTLP export configured), one server span per request and one
/// client span per backend call attempt, following the OpenTelemetry HTTP and RPC conventions; without one,
/// an incoming valid `traceparent` (and its `tracestate`) is passed on to the backend unchanged and its
/// trace id logged. Without a tracer nothing is allocated beyond that header check.
struct RequestTracer: Sendable {
    let tracer: (any Tracer)?

    /// Starts the request's trace: a server span continuing the caller's trace context, or only the
    /// caller's `traceparent` when no tracer is set.
    func start(method: String, path: Substring, headers: HTTPHeaders) -> RequestTrace? {
        guard let tracer else {
            guard let header = headers.first(name: "traceparent"), let parent = TraceParent(header) else { return nil }
            let state = headers.first(name: "tracestate").flatMap { $0.utf8.count <= 512 ? $0 : nil }
            return RequestTrace(span: nil, traceID: parent.traceID, spanID: nil, passthrough: (parent, state))
        }
        var context = InstrumentationContext.topLevel
        tracer.extract(headers, into: &context, using: HTTPHeadersExtractor())
        let span = tracer.startSpan(method, context: context, ofKind: .server)
        if span.isRecording {
            span.attributes["http.request.method"] = method
            span.attributes["url.path"] = String(path)
        }
        let ids = RequestTrace.ids(of: span.context, tracer: tracer)
        return RequestTrace(span: span, traceID: ids?.traceID, spanID: ids?.parentID, passthrough: nil)
    }

    /// Starts a client span for one call attempt to `rpc` (`/package.Service/Method`) on `backend` and puts
    /// its `traceparent` in `metadata`; or passes the caller's on when no tracer is set. Returns the span to
    /// end when the attempt finishes. An unsampled request gets no client span: the backend is told the
    /// (unsampled) server span's context.
    func startCall(_ trace: RequestTrace?, rpc: String, backend: String, metadata: inout GRPCMetadata) -> (any Span)? {
        guard let trace else { return nil }
        guard let tracer, let parent = trace.span else {
            if let (traceParent, state) = trace.passthrough {
                metadata.add("traceparent", traceParent.header)
                if let state { metadata.add("tracestate", state) }
            }
            return nil
        }
        guard parent.isRecording else {
            tracer.inject(parent.context, into: &metadata, using: GRPCMetadataInjector())
            return nil
        }
        let names = rpc.split(separator: "/")
        let span = tracer.startSpan(names.joined(separator: "/"), context: parent.context, ofKind: .client)
        span.attributes["rpc.system"] = "grpc"
        if names.count == 2 {
            span.attributes["rpc.service"] = String(names[0])
            span.attributes["rpc.method"] = String(names[1])
        }
        span.attributes["portico.backend"] = backend
        tracer.inject(span.context, into: &metadata, using: GRPCMetadataInjector())
        return span
    }
}

/// One request's trace: its server span (with a tracer), or the caller's context to pass on (without).
struct RequestTrace: Sendable {
    let span: (any Span)?
    /// For the access log: the trace the request belongs to.
    let traceID: String?
    /// For the access log: the gateway's server span, when it traces.
    let spanID: String?
    let passthrough: (TraceParent, String?)?

    /// Marks a stage on the server span, when it records.
    func recordEvent(_ name: String) {
        guard let span, span.isRecording else { return }
        span.addEvent(SpanEvent(name: name))
    }

    /// The trace and span ids of `context`, read the way a backend would: from its `traceparent`.
    static func ids(of context: InstrumentationContext, tracer: any Tracer) -> TraceParent? {
        var carrier = TraceParentCarrier()
        tracer.inject(context, into: &carrier, using: TraceParentInjector())
        return carrier.traceParent.flatMap(TraceParent.init)
    }
}

/// Reads trace context from request headers.
struct HTTPHeadersExtractor: Extractor {
    func extract(key: String, from headers: HTTPHeaders) -> String? {
        headers.first(name: key)
    }
}

/// Where a span's `traceparent` is written to read its ids.
struct TraceParentCarrier: Sendable {
    var traceParent: String?
}

/// Keeps only the `traceparent` a tracer injects.
struct TraceParentInjector: Injector {
    func inject(_ value: String, forKey key: String, into carrier: inout TraceParentCarrier) {
        if key == "traceparent" { carrier.traceParent = value }
    }
}

/// Writes trace context into a backend call's metadata.
struct GRPCMetadataInjector: Injector {
    func inject(_ value: String, forKey key: String, into metadata: inout GRPCMetadata) {
        metadata.add(key, value)
    }
}
