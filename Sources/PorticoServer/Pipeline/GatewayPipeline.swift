import CoreMetrics
import Logging
import NIOCore
import NIOHTTP1
import PorticoCore
import PorticoCodec
import PorticoHTTP2
import PorticoConfig
import PorticoPolicies
import PorticoRouting
import Synchronization
import Tracing

/// The stage chain between the public listener and the backends.
///
/// The request side is ``requestStages``, in this order: CORS (a preflight answered 204 or 403), the per-client
/// limit (429 before anything else is looked at), API version
/// (`x-api-version`, 400 for an unknown one), route match (404, 405 with `Allow`, 400 for a malformed path),
/// authentication (401 with `WWW-Authenticate`, 403), rate limit (429 with `Retry-After`), request transcoding
/// (400, 413, 415) and the client's deadline. Each stage returns a ``StageOutcome``: go on, answer now (an
/// error, or a bodiless reply), or wait for a future. Then the backend is called through its circuit breaker
/// (503 with `Retry-After` when open) with retries in the budget, and the response side writes the answer:
/// JSON in the version's names and the route's `json:` options, raw `google.api.HttpBody` bytes, or the error
/// as `google.rpc.Status` (``finish(_:error:route:)``, the one place every error is answered), then the
/// metrics, the CORS headers and the access-log line. A request id (the client's `X-Request-Id` or a new one)
/// goes with the request and its answer.
///
/// Everything runs on the connection's event loop; the only waits are the backend call and, rarely, a JWKS
/// refetch for a token whose key is not known yet.
package final class GatewayPipeline: GatewayResponder {
    private let active: Mutex<ActiveGateway>
    let runtime: GatewayRuntime
    private let accessLog: (any AccessLogSink)?
    private let requestIDs = RequestIDStage()
    /// Requests received and not yet answered, for load shedding.
    let working = Atomic<Int>(0)

    /// - Parameters:
    ///   - wallClock: Unix time in seconds, for token lifetimes.
    ///   - clock: monotonic time, for rate limits, breakers, retry budgets and JWKS refetches.
    ///   - metrics: where the requests, backends, rate limits and authentication failures are counted.
    ///   - tracer: spans for each request and backend call; `nil` passes a caller's `traceparent` on only.
    /// - Throws: the problems of `auth:`'s key files.
    package init(
        snapshot: GatewaySnapshot,
        upstreams: UpstreamDirectory,
        accessLog: (any AccessLogSink)?,
        wallClock: @escaping @Sendable () -> Double,
        clock: any MonotonicClock,
        metrics: GatewayMetrics,
        tracer: (any Tracer)? = nil,
        logger: Logger = Logger(label: "portico.gateway")
    ) throws(GatewayCompileError) {
        runtime = GatewayRuntime(
            upstreams: upstreams, policies: PolicyDirectory(clock: clock), group: upstreams.group,
            wallClock: wallClock, clock: clock, logger: logger, metrics: metrics, tracer: RequestTracer(tracer: tracer),
            sharedLimits: SharedLimiterDirectory(metrics: metrics, logger: logger)
        )
        self.accessLog = accessLog
        active = Mutex(try ActiveGateway(snapshot: snapshot, runtime: runtime))
    }

    /// The snapshot new requests use.
    package var snapshot: GatewaySnapshot {
        active.withLock { $0.snapshot }
    }

    /// Each backend's breaker state (`closed`, `open`, `half_open`, or `off`) and calls in flight, in the
    /// order of ``GatewaySnapshot/backends``.
    package func breakerStates() -> [(backend: String, state: String, inFlight: Int)] {
        active.withLock { $0 }.guards.map { guarded in
            guard let breaker = guarded.breaker else { return (guarded.name, "off", 0) }
            let state = breaker.snapshot()
            return (guarded.name, state.state, state.inFlight)
        }
    }

    /// The running snapshot and its run-time state.
    var activeGateway: ActiveGateway { active.withLock { $0 } }

    /// The registry and handles the gateway counts in.
    package var metrics: GatewayMetrics { runtime.metrics }

    /// Reads each backend's pool figures and breaker state, and the log writer's dropped lines, into the
    /// scrape-time series.
    func collectScrapeMetrics(on eventLoop: any EventLoop) -> EventLoopFuture<Void> {
        runtime.metrics.collect(droppedLogLines: accessLog?.droppedLines ?? 0)
        let gateway = active.withLock { $0 }
        let usage = gateway.cache.usage
        runtime.metrics.collect(cacheEntries: usage.entries, bytes: usage.bytes)
        let states = breakerStates()
        let statistics = gateway.clusters.map { $0.statistics() }
        return EventLoopFuture.whenAllSucceed(statistics, on: eventLoop).map { figures in
            self.runtime.metrics.collect(backends: zip(states, figures).map { ($0.backend, $1, $0.state) })
        }
    }

    /// Swaps in a newly compiled snapshot; requests in flight finish with the one they started with.
    ///
    /// - Throws: the problems of `auth:`'s key files; the running snapshot then stays.
    package func install(_ snapshot: GatewaySnapshot) throws(GatewayCompileError) {
        let gateway = try ActiveGateway(snapshot: snapshot, runtime: runtime)
        active.withLock { $0 = gateway }
    }

    /// Closes the connections of the shared rate limits (Redis), at shutdown.
    package func closeSharedLimits() async {
        await runtime.sharedLimits.shutdown()
    }

    /// Empties the running snapshot's response cache; returns how many answers it held.
    package func purgeCache() -> Int {
        active.withLock { $0 }.cache.purge()
    }

    /// How often the running snapshot's JWKS URL is fetched again; `nil` without one.
    package var keyRefreshPeriod: TimeAmount? {
        active.withLock { $0 }.authenticator?.keyRefreshPeriod
    }

    /// Fetches the running snapshot's JWKS URL again (``JWKSRefreshService`` calls it every
    /// ``keyRefreshPeriod``).
    package func refreshKeys() -> EventLoopFuture<Void>? {
        active.withLock { $0 }.authenticator?.refreshKeys()
    }

    /// The request side, in order. After the last stage the backend is called (``callBackend(_:)``) and the
    /// response side writes the answer.
    static let requestStages: [any RequestStage] = [
        CORSStage(),
        ClientRateLimitStage(),
        APIVersionStage(),
        RouteMatchStage(),
        AuthenticationStage(),
        RateLimitStage(),
        RequestTranscodingStage(),
        CacheStage(),
        ClientDeadlineStage(),
    ]

    /// The stages a head with `Expect: 100-continue` passes before its body is asked for: version, route and
    /// credentials (rate limits count the request once, when it runs whole).
    static let admissionStages: [any RequestStage] = [
        APIVersionStage(),
        RouteMatchStage(),
        AuthenticationStage(),
    ]

    package func respond(to request: GatewayRequest, on eventLoop: any EventLoop) -> EventLoopFuture<GatewayResponse> {
        let gateway = active.withLock { $0 }
        var exchange = start(request, gateway: gateway)
        if let trace = runtime.tracer.start(method: request.method.rawValue, path: request.path, headers: request.headers) {
            exchange.trace = trace
            exchange.record.traceID = trace.traceID
            exchange.record.spanID = trace.spanID
        }
        if working.add(1, ordering: .relaxed).newValue > gateway.snapshot.configuration.settings.limits.maxInFlight {
            runtime.metrics.shed.increment()
            return eventLoop.makeSucceededFuture(finish(exchange, error: Self.overloaded))
        }
        let context = RequestContext(request: request, gateway: gateway, eventLoop: eventLoop, exchange: exchange)
        return run(context, stages: Self.requestStages, from: 0, then: callBackend)
    }

    package func admit(_ request: GatewayRequest, on eventLoop: any EventLoop) -> EventLoopFuture<GatewayResponse?> {
        let gateway = active.withLock { $0 }
        working.add(1, ordering: .relaxed)
        let context = RequestContext(request: request, gateway: gateway, eventLoop: eventLoop, exchange: start(request, gateway: gateway))
        let admitted = GatewayResponse(status: .continue, headers: HTTPHeaders(), body: ByteBuffer())
        return run(context, stages: Self.admissionStages, from: 0) { $0.eventLoop.makeSucceededFuture(admitted) }
            .map { answer in
                guard answer.status == .continue else { return answer }
                self.runtime.metrics.inFlight.decrement()
                self.working.subtract(1, ordering: .relaxed)
                return nil
            }
    }

    /// A request's exchange, counted in flight (``respond(_:status:code:body:contentType:)`` counts it out).
    func start(_ request: GatewayRequest, gateway: ActiveGateway) -> Exchange {
        let requestID = requestIDs.requestID(for: request.headers)
        runtime.metrics.inFlight.increment()
        return Exchange(
            snapshot: gateway.snapshot,
            started: NIODeadline.now(),
            record: AccessRecord(requestID: requestID, method: request.method.rawValue, path: request.path, bytesIn: request.body.readableBytes),
            headers: Self.responseHeaders(requestID: requestID),
            cancellation: request.cancellation
        )
    }

    /// A response's first header, its request id, with room for those the answer adds (content type and
    /// length, connection, forwarded metadata) without regrowing.
    private static func responseHeaders(requestID: String) -> HTTPHeaders {
        var headers = HTTPHeaders()
        headers.reserveCapacity(8)
        headers.add(name: RequestIDStage.headerName, value: requestID)
        return headers
    }

    /// Runs `stages` from `index` on, then `then`; a stage that waits resumes the run when its future succeeds.
    func run(
        _ context: RequestContext,
        stages: [any RequestStage],
        from index: Int,
        then: @escaping (RequestContext) -> EventLoopFuture<GatewayResponse>
    ) -> EventLoopFuture<GatewayResponse> {
        var index = index
        while index < stages.count {
            let stage = stages[index]
            switch stage.process(context) {
            case .proceed:
                context.exchange.trace?.recordEvent(stage.eventName)
                index += 1
            case .answer(let error):
                return context.eventLoop.makeSucceededFuture(finish(context.exchange, error: error, route: context.route))
            case .reply(let status, let headers, let body, let contentType):
                var exchange = context.exchange
                for (name, value) in headers { exchange.headers.add(name: name, value: value) }
                return context.eventLoop.makeSucceededFuture(respond(exchange, status: status, code: .ok, body: body, contentType: contentType))
            case .retry(let future):
                let again = index
                return future.assumeIsolated()
                    .recover { _ in }
                    .flatMap { self.run(context, stages: stages, from: again, then: then) }
                    .nonisolated()
            case .wait(let future):
                let next = index + 1
                return future.assumeIsolated()
                    .flatMap {
                        context.exchange.trace?.recordEvent(stage.eventName)
                        return self.run(context, stages: stages, from: next, then: then)
                    }
                    .recover { self.finish(context.exchange, error: GatewayError($0), route: context.route) }
                    .nonisolated()
            }
        }
        return then(context)
    }

    /// Calls the route's method on its backend through the backend's guard (breaker, retries), with the
    /// allow-listed metadata and the caller's forwarded claims, and writes the answer.
    func callBackend(_ context: RequestContext) -> EventLoopFuture<GatewayResponse> {
        guard let route = context.route, let deadline = context.deadline else {
            return context.eventLoop.makeSucceededFuture(
                finish(context.exchange, error: .internalError(cause: "the backend call ran before the request stages"))
            )
        }
        let eventLoop = context.eventLoop
        let gateway = context.gateway
        let exchange = context.exchange
        let forwarder = exchange.snapshot.forwarder
        var forwardedMetadata = forwarder.requestMetadata(
            from: context.request.headers, requestID: exchange.record.requestID, claims: context.principal?.metadata ?? []
        )
        if route.target.serverStreaming, let lastEventID = StreamFormat.lastEventID(in: context.request.headers) {
            forwardedMetadata.add("last-event-id", lastEventID)
        }
        let metadata = forwardedMetadata
        if let plan = route.composite {
            return callParts(plan, context: context, deadline: deadline, metadata: metadata)
        }
        let cluster = gateway.clusters[route.backendIndex]
        let guarded = gateway.guards[route.backendIndex]
        let uploads = context.request.bodyStream != nil && context.pieceEncoder != nil
        if !uploads, !route.target.serverStreaming {
            return UnaryBackendCall(pipeline: self, context: context, route: route, cluster: cluster, guarded: guarded, deadline: deadline, metadata: metadata)
                .start()
        }
        let pick = context.upstreamPick(for: cluster)
        let cancellation = context.request.cancellation
        let messages = context.messages
        let tracer = runtime.tracer
        let trace = exchange.trace
        /// Each attempt has its own client span and `traceparent`.
        let attemptOptions = { @Sendable () -> (GRPCCallOptions, (any Span)?) in
            var attemptMetadata = metadata
            let span = tracer.startCall(trace, rpc: route.target.grpcPath, backend: guarded.name, metadata: &attemptMetadata)
            return (GRPCCallOptions(deadline: deadline.deadline, metadata: attemptMetadata), span)
        }
        if let body = context.request.bodyStream, let encode = context.pieceEncoder {
            return callWithUpload(context, body: body, encode: encode, cluster: cluster, guarded: guarded, pick: pick, options: attemptOptions)
        }
        return relayStream(context, route: route, guarded: guarded, deadline: deadline) { relay in
            let (options, span) = attemptOptions()
            let streamOptions = GRPCCallOptions(deadline: deadline.isUnlimited ? nil : options.deadline, metadata: options.metadata)
            let call = cluster.serverStreaming(route.target.grpcPath, requests: messages, options: streamOptions, on: eventLoop, pick: pick) {
                relay.value.receive($0)
            }
            relay.value.attach(call)
            cancellation.onCancel(call)
            return call.response.endingCallSpan(span)
        }
    }

    /// Calls a composite route's parts (``CompositeExecution``) and answers their composed JSON.
    private func callParts(
        _ plan: CompositePlan, context: RequestContext, deadline: ClientDeadline, metadata: GRPCMetadata
    ) -> EventLoopFuture<GatewayResponse> {
        guard let matched = context.matched, let version = context.exchange.version else {
            return context.eventLoop.makeSucceededFuture(finish(context.exchange, error: .internalError(cause: "composite route without a match")))
        }
        let exchange = context.exchange
        let inputs: CompositeInputs
        do {
            inputs = try CompositeInputs(matched: matched, plan: plan, principal: context.principal)
        } catch {
            return context.eventLoop.makeSucceededFuture(finish(exchange, error: error, route: matched.route.value))
        }
        let request = CompositeExecution.Request(
            plan: plan, route: matched.route.value, gateway: context.gateway, version: version, deadline: deadline, metadata: metadata,
            inputs: inputs, tracer: runtime.tracer, trace: exchange.trace, requestID: exchange.record.requestID,
            maxDepth: exchange.snapshot.configuration.settings.limits.maxJSONDepth
        )
        return CompositeExecution.run(request, cancellation: context.request.cancellation, on: context.eventLoop)
            .map { answer in
                var exchange = exchange
                exchange.noteUpstreamEnd(grpcStatus: 0)
                if !answer.partErrors.isEmpty { exchange.record.error = "partial answer: " + answer.partErrors.joined(separator: "; ") }
                return self.respondOK(exchange, body: answer.body, contentType: "application/json", forwarded: [])
            }
            .recover { self.finish(exchange, failure: $0, route: matched.route.value) }
    }

    func finish(_ exchange: Exchange, reply: GRPCUnaryResponse, route: GatewayRoute) -> GatewayResponse {
        var exchange = exchange
        exchange.noteUpstreamEnd(grpcStatus: 0)
        let forwarded = exchange.forward(reply.headers, reply.trailers)
        do {
            let started = NIODeadline.now()
            let answer = try ResponseTranscoding(snapshot: exchange.snapshot, version: exchange.version).answer(for: reply.message, route: route)
            runtime.metrics.responseTranscoding.recordNanoseconds((NIODeadline.now() - started).nanoseconds)
            return respondOK(exchange, body: answer.body, contentType: answer.contentType, forwarded: forwarded)
        } catch {
            return finish(exchange, error: error, route: route)
        }
    }

    /// Answers a backend's answer; on a cached route stores it first (`X-Cache: MISS`), and answers 304 when the
    /// request's `If-None-Match` names its ETag.
    private func respondOK(_ exchange: Exchange, body: ByteBuffer, contentType: String, forwarded: [(String, String)]) -> GatewayResponse {
        guard let flight = exchange.cacheFlight else { return respond(exchange, status: .ok, code: .ok, body: body, contentType: contentType) }
        var exchange = exchange
        let etag = CacheHeaders.etag(of: body)
        flight.cache.store(
            ResponseCache.Entry(
                body: body, contentType: contentType, headers: forwarded, storedAt: runtime.clock.now(), rule: flight.rule, etag: etag,
                isShared: flight.isShared
            ),
            for: flight.key
        )
        let validators = CacheHeaders.validators(
            status: "MISS", etag: etag, maxAge: flight.rule.ttl.components.seconds, isShared: flight.isShared, age: nil
        )
        for (name, value) in validators { exchange.headers.add(name: name, value: value) }
        if CacheHeaders.matches(flight.ifNoneMatch, etag: etag) {
            return respond(exchange, status: .notModified, code: .ok, body: ByteBuffer(), contentType: nil)
        }
        return respond(exchange, status: .ok, code: .ok, body: body, contentType: contentType)
    }

    /// Answers a failed backend call (the guard fails with ``GatewayError`` only; anything else is internal).
    func finish(_ exchange: Exchange, failure: any Error, route: GatewayRoute) -> GatewayResponse {
        finish(exchange, error: GatewayError(failure), route: route)
    }

    /// Answers an error as `google.rpc.Status` JSON with its status and headers. A backend's error shows its
    /// message and details as the route allows (``UpstreamErrorExposure``); when the client has gone away the
    /// answer is only logged, as 499.
    func finish(_ exchange: Exchange, error: GatewayError, route: GatewayRoute? = nil) -> GatewayResponse {
        var exchange = exchange
        if exchange.cancellation.isCancelled {
            exchange.record.error = "the client closed the connection before the answer"
            let closed = GatewayError(code: .cancelled, message: "the client closed the connection", source: .client)
            return respond(exchange, status: Self.clientClosedRequest, code: closed.code, body: ErrorBody.plain(closed))
        }
        if error.source != .client, let flight = exchange.cacheFlight, let stale = flight.stale {
            let now = runtime.clock.now()
            let headers = stale.headers + CacheHeaders.validators(status: "STALE", etag: stale.etag, maxAge: 0, isShared: stale.isShared, age: stale.age(at: now))
            for (name, value) in headers { exchange.headers.add(name: name, value: value) }
            exchange.record.error = "served stale: \(error.description)"
            return respond(exchange, status: .ok, code: .ok, body: stale.body, contentType: stale.contentType)
        }
        let error = clientError(error, exchange: &exchange, route: route)
        for (name, value) in error.headers { exchange.headers.add(name: name, value: value) }
        let body = ErrorBody.render(error, transcoder: exchange.snapshot.transcoder)
        return respond(exchange, status: HTTPResponseStatus(statusCode: error.httpStatus), code: error.code, body: body)
    }

    /// `error` as the client may see it (a backend's error as the route allows, ``UpstreamErrorExposure``),
    /// noted in the access record, and logged when it is the gateway's own internal error.
    func clientError(_ error: GatewayError, exchange: inout Exchange, route: GatewayRoute?) -> GatewayError {
        var error = error
        if error.source == .upstream {
            if exchange.record.grpcStatus == nil { exchange.noteUpstreamEnd(grpcStatus: error.code.rawValue) }
            let exposure = UpstreamErrorExposure(exposes: route?.exposeErrors ?? false, requestID: exchange.record.requestID)
            error = exposure.clientError(error)
            error.statusDetails = error.statusDetails.flatMap {
                exposure.clientDetails($0, error: error, codec: MessageCodec(pool: exchange.snapshot.descriptors))
            }
        }
        if error.source != .client || error.cause != nil {
            exchange.record.error = error.description
        }
        if error.source == .gateway, error.code == .internal {
            var metadata: Logger.Metadata = ["request_id": "\(exchange.record.requestID)", "error": "\(error.description)"]
            if let traceID = exchange.record.traceID { metadata["trace_id"] = "\(traceID)" }
            runtime.logger.error("internal error", metadata: metadata)
        }
        return error
    }

    /// The answer past `limits.max_in_flight`: at once, without queueing, so a burst cannot pile up latency
    /// and memory for every client.
    private static let overloaded = GatewayError(
        code: .unavailable, message: "the gateway is overloaded; retry shortly", source: .gateway, httpStatus: 503, headers: [("retry-after", "1")]
    )

    /// nginx's 499: the client closed the connection before the answer; written to the access log only.
    private static let clientClosedRequest = HTTPResponseStatus(statusCode: 499, reasonPhrase: "Client Closed Request")

    /// Writes the answer: its metrics, its access-log line, and the response.
    func respond(
        _ exchange: Exchange, status: HTTPResponseStatus, code: GRPCStatusCode, body: ByteBuffer, contentType: String? = "application/json"
    ) -> GatewayResponse {
        let exchange = decorate(exchange, contentType: contentType)
        working.subtract(1, ordering: .relaxed)
        record(exchange, status: status, code: code, bytesOut: body.readableBytes)
        return GatewayResponse(status: status, headers: exchange.headers, body: body)
    }

    /// The answer's content type and CORS headers added.
    func decorate(_ exchange: Exchange, contentType: String?) -> Exchange {
        var exchange = exchange
        if let contentType { exchange.headers.set(name: "content-type", value: contentType) }
        if let origin = exchange.origin, let policy = exchange.cors {
            for (name, value) in CORSStage.responseHeaders(origin: origin, policy: policy) { exchange.headers.add(name: name, value: value) }
        }
        return exchange
    }

    /// A request no longer waits for its answer: it stops counting against `limits.max_in_flight` (a
    /// relayed stream does once its head is out, however long it then runs).
    func leaveWork() {
        working.subtract(1, ordering: .relaxed)
    }

    /// Records an answered request: its metrics, its span's end and its access-log line.
    func record(_ exchange: Exchange, status: HTTPResponseStatus, code: GRPCStatusCode, bytesOut: Int) {
        var exchange = exchange
        exchange.record.status = Int(status.code)
        exchange.record.bytesOut = bytesOut
        let nanoseconds = (NIODeadline.now() - exchange.started).nanoseconds
        exchange.record.durationMicroseconds = Int(nanoseconds / 1000)
        runtime.metrics.inFlight.decrement()
        if let flight = exchange.cacheFlight { flight.cache.endFlight(flight.key) }
        if let span = exchange.trace?.span {
            if span.isRecording {
                span.attributes["http.response.status_code"] = Int(status.code)
                if status.code >= 500 {
                    span.attributes["error.type"] = String(status.code)
                    span.setStatus(SpanStatus(code: .error, message: code.name))
                }
            }
            span.end()
        }
        let metrics = exchange.metrics ?? runtime.metrics.unmatchedMetrics(method: exchange.record.method)
        metrics.recordAnswer(
            status: exchange.record.status, code: code, version: exchange.record.version.isEmpty ? "none" : exchange.record.version,
            requestBytes: exchange.record.bytesIn, responseBytes: exchange.record.bytesOut, nanoseconds: nanoseconds
        )
        if exchange.snapshot.configuration.settings.accessLog { accessLog?.write(line: exchange.record.line()) }
    }
}
