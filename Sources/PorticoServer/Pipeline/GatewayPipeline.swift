public import Logging
public import NIOCore
import NIOHTTP1
public import PorticoCore
import PorticoCodec
import PorticoHTTP2
import PorticoConfig
import PorticoPolicies
import PorticoRouting
import Synchronization

/// The stage chain between the public listener and the backends, in this order:
///
/// 1. request id (the client's `X-Request-Id` or a new one),
/// 2. API version (`x-api-version`, 400 for an unknown one),
/// 3. route match (404, 405 with `Allow`, 400 for a malformed path),
/// 4. authentication (the route's `auth`; 401 with `WWW-Authenticate`, 403 without the scopes or roles),
/// 5. rate limit (429 with `Retry-After`; `RateLimit` and `RateLimit-Policy` on every answer),
/// 6. request transcoding (body, path variables, query parameters → protobuf; 400, 413, 415),
/// 7. the backend call through the backend's circuit breaker (503 with `Retry-After` when open), retried
///    with backoff within the retry budget (deadline from the route's timeout, shortened by the client's
///    `grpc-timeout` or `X-Request-Timeout`; allow-listed metadata and the caller's forwarded claims),
/// 8. response transcoding (protobuf → JSON in the version's names; errors as `google.rpc.Status`),
/// 9. the access-log line.
///
/// Everything runs on the connection's event loop; the only waits are the backend call and, rarely, a JWKS
/// refetch for a token whose key is not known yet.
public final class GatewayPipeline: GatewayResponder {
    private let active: Mutex<ActiveGateway>
    private let runtime: GatewayRuntime
    private let accessLog: (any AccessLogSink)?
    private let requestIDs = RequestIDStage()

    /// - Parameters:
    ///   - wallClock: Unix time in seconds, for token lifetimes.
    ///   - clock: monotonic time, for rate limits, breakers, retry budgets and JWKS refetches.
    /// - Throws: the problems of `auth:`'s key files.
    public init(
        snapshot: GatewaySnapshot,
        upstreams: UpstreamDirectory,
        accessLog: (any AccessLogSink)?,
        wallClock: @escaping @Sendable () -> Double,
        clock: any MonotonicClock,
        logger: Logger = Logger(label: "portico.gateway")
    ) throws(GatewayCompileError) {
        runtime = GatewayRuntime(
            upstreams: upstreams, policies: PolicyDirectory(clock: clock), group: upstreams.group,
            wallClock: wallClock, clock: clock, logger: logger
        )
        self.accessLog = accessLog
        active = Mutex(try ActiveGateway(snapshot: snapshot, runtime: runtime))
    }

    /// The snapshot new requests use.
    public var snapshot: GatewaySnapshot {
        active.withLock { $0.snapshot }
    }

    /// Each backend's breaker state (`closed`, `open`, `half_open`, or `off`) and calls in flight, in the
    /// order of ``GatewaySnapshot/backends``.
    public func breakerStates() -> [(backend: String, state: String, inFlight: Int)] {
        active.withLock { $0 }.guards.map { guarded in
            guard let breaker = guarded.breaker else { return (guarded.name, "off", 0) }
            let state = breaker.snapshot()
            return (guarded.name, state.state, state.inFlight)
        }
    }

    /// Swaps in a newly compiled snapshot; requests in flight finish with the one they started with.
    ///
    /// - Throws: the problems of `auth:`'s key files; the running snapshot then stays.
    public func install(_ snapshot: GatewaySnapshot) throws(GatewayCompileError) {
        let gateway = try ActiveGateway(snapshot: snapshot, runtime: runtime)
        let replaced = active.withLock { active in
            defer { active = gateway }
            return active
        }
        replaced.authenticator?.shutdown()
    }

    /// Stops the authenticator's JWKS refresh.
    func shutdown() {
        active.withLock { $0 }.authenticator?.shutdown()
    }

    public func respond(to request: GatewayRequest, on eventLoop: any EventLoop) -> EventLoopFuture<GatewayResponse> {
        let gateway = active.withLock { $0 }
        let snapshot = gateway.snapshot
        let requestID = requestIDs.requestID(for: request.headers)
        var exchange = Exchange(
            snapshot: snapshot,
            started: NIODeadline.now(),
            record: AccessRecord(requestID: requestID, method: request.method.rawValue, path: request.path, bytesIn: request.body.readableBytes),
            headers: HTTPHeaders([(RequestIDStage.headerName, requestID)]),
            cancellation: request.cancellation
        )
        let matched: MatchedRoute<GatewayRoute>
        do {
            let version = try selectVersion(request, snapshot: snapshot)
            exchange.record.version = version.name
            exchange.version = version
            for (name, value) in version.responseHeaders { exchange.headers.add(name: name, value: value) }
            matched = try match(request, snapshot: snapshot)
            exchange.record.route = matched.route.value.target.selector
        } catch {
            return eventLoop.makeSucceededFuture(finish(exchange, error: error))
        }
        let requirement = matched.route.value.auth
        guard requirement.mode != .none, let authenticator = gateway.authenticator else {
            return forward(request, matched: matched, principal: nil, gateway: gateway, exchange: exchange, on: eventLoop)
        }
        let sent = exchange
        return authenticator.authenticate(headers: request.headers, query: request.query, requirement: requirement, on: eventLoop)
            .flatMap { principal in
                self.forward(request, matched: matched, principal: principal, gateway: gateway, exchange: sent, on: eventLoop)
            }
            .recover { failure in
                self.finish(sent, error: GatewayError(failure))
            }
    }

    /// The stages after authentication: rate limit, request transcoding, and the guarded backend call.
    private func forward(
        _ request: GatewayRequest,
        matched: MatchedRoute<GatewayRoute>,
        principal: Principal?,
        gateway: ActiveGateway,
        exchange: Exchange,
        on eventLoop: any EventLoop
    ) -> EventLoopFuture<GatewayResponse> {
        var exchange = exchange
        let snapshot = gateway.snapshot
        let route = matched.route.value
        let message: ByteBuffer
        let deadline: ClientDeadline
        do throws(GatewayError) {
            try limitRate(request, route: route, principal: principal, gateway: gateway, exchange: &exchange)
            guard let version = exchange.version else { throw .internalError(cause: "no API version selected") }
            message = try RequestTranscoding(snapshot: snapshot, version: version).protobuf(for: request, matched: matched)
            deadline = try ClientDeadline(for: request.headers, routeTimeout: TimeAmount(route.timeout), started: exchange.started)
        } catch {
            return eventLoop.makeSucceededFuture(finish(exchange, error: error))
        }
        let metadata = snapshot.forwarder.requestMetadata(
            from: request.headers, requestID: exchange.record.requestID, claims: principal?.metadata ?? []
        )
        let options = GRPCCallOptions(deadline: deadline.deadline, metadata: metadata)
        let client = gateway.clients[route.backendIndex]
        let guarded = gateway.guards[route.backendIndex]
        let cancellation = request.cancellation
        let sent = exchange
        if route.target.serverStreaming {
            return guarded.call(idempotent: route.idempotent, deadline: deadline, forwarder: snapshot.forwarder, on: eventLoop) {
                UpstreamStream.collect(client: client, route: route, message: message, options: options, cancellation: cancellation, on: eventLoop)
            }
            .map { self.finish(sent, streamed: $0, route: route) }
            .recover { self.finish(sent, failure: $0, route: route) }
        }
        return guarded.call(idempotent: route.idempotent, deadline: deadline, forwarder: snapshot.forwarder, on: eventLoop) {
            let call = client.unary(route.target.grpcPath, request: message, options: options, on: eventLoop)
            cancellation.onCancel(call)
            return call.response
        }
        .map { self.finish(sent, reply: $0, route: route) }
        .recover { self.finish(sent, failure: $0, route: route) }
    }

    /// Counts the request against the route's rate limit, adds the `RateLimit` headers, and refuses it with
    /// 429 and `Retry-After` beyond the limit.
    private func limitRate(
        _ request: GatewayRequest,
        route: GatewayRoute,
        principal: Principal?,
        gateway: ActiveGateway,
        exchange: inout Exchange
    ) throws(GatewayError) {
        guard let rateLimit = route.rateLimit else { return }
        let caller = RateLimitCaller(
            clientIP: gateway.clientAddress.resolve(peer: request.remoteAddress, headers: request.headers),
            principal: principal?.subject,
            apiKeyClient: principal?.kind == .apiKey ? principal?.clientID : nil,
            plan: principal?.plan
        )
        let decision = rateLimit.decide(caller, limiter: gateway.limiter)
        exchange.headers.add(name: "ratelimit-policy", value: decision.policyHeader)
        exchange.headers.add(name: "ratelimit", value: decision.limitHeader)
        guard decision.isAllowed else {
            throw GatewayError(
                code: .resourceExhausted, message: "rate limit exceeded; retry after \(decision.retryAfterSeconds) s", source: .client,
                httpStatus: 429, headers: [("retry-after", String(decision.retryAfterSeconds))]
            )
        }
    }

    private func selectVersion(_ request: GatewayRequest, snapshot: GatewaySnapshot) throws(GatewayError) -> APIVersion {
        try snapshot.versions.select(request.headers)
    }

    /// The route for the request; `HEAD` takes a `HEAD` route, else the `GET` route of the path (RFC 9110
    /// §9.3.2), and every path with a `GET` route allows `HEAD`.
    private func match(_ request: GatewayRequest, snapshot: GatewaySnapshot) throws(GatewayError) -> MatchedRoute<GatewayRoute> {
        var result = snapshot.routes.match(method: request.method.rawValue, path: request.uri)
        if request.method == .HEAD, case .methodNotAllowed = result {
            result = snapshot.routes.match(method: "GET", path: request.uri)
        }
        switch result {
        case .matched(let matched):
            return matched
        case .notFound:
            throw GatewayError(code: .notFound, message: "no route matches this path", source: .client)
        case .methodNotAllowed(var allowed):
            if allowed.contains("GET"), !allowed.contains("HEAD") { allowed.append("HEAD") }
            let list = allowed.joined(separator: ", ")
            throw GatewayError(
                code: .unimplemented, message: "method \(request.method.rawValue) is not allowed here; allowed: \(list)", source: .client,
                httpStatus: 405, headers: [("allow", list)]
            )
        case .invalidPath(let error):
            throw error
        }
    }

    private func finish(_ exchange: Exchange, reply: GRPCUnaryResponse, route: GatewayRoute) -> GatewayResponse {
        var exchange = exchange
        exchange.noteUpstreamEnd(grpcStatus: 0)
        exchange.forward(reply.headers, reply.trailers)
        do {
            if route.httpBody.response {
                let raw = try HttpBodyTranscoding(descriptors: exchange.snapshot.descriptors)
                    .decode(reply.message, message: route.target.outputType, responseField: route.target.responseBody)
                return respond(exchange, status: .ok, body: raw.data, contentType: raw.contentType ?? "application/octet-stream")
            }
            let body = try route.responseJSON(reply.message, version: exchange.version, transcoder: exchange.snapshot.transcoder)
            return respond(exchange, status: .ok, body: body)
        } catch {
            return finish(exchange, error: error, route: route)
        }
    }

    private func finish(_ exchange: Exchange, streamed: UpstreamStream.Collected, route: GatewayRoute) -> GatewayResponse {
        var exchange = exchange
        exchange.noteUpstreamEnd(grpcStatus: 0)
        exchange.forward(streamed.headers, streamed.trailers)
        do {
            if route.httpBody.response {
                let raw = try streamed.rawBody(HttpBodyTranscoding(descriptors: exchange.snapshot.descriptors), route: route)
                return respond(exchange, status: .ok, body: raw.data, contentType: raw.contentType ?? "application/octet-stream")
            }
            let body = try streamed.jsonArray(transcoder: exchange.snapshot.transcoder, route: route, version: exchange.version)
            return respond(exchange, status: .ok, body: body)
        } catch {
            return finish(exchange, error: error, route: route)
        }
    }

    /// Answers a failed backend call (the guard fails with ``GatewayError`` only; anything else is internal).
    private func finish(_ exchange: Exchange, failure: any Error, route: GatewayRoute) -> GatewayResponse {
        finish(exchange, error: GatewayError(failure), route: route)
    }

    /// Answers an error as `google.rpc.Status` JSON with its status and headers. A backend's error shows its
    /// message and details as the route allows (``UpstreamErrorExposure``); when the client has gone away the
    /// answer is only logged, as 499.
    private func finish(_ exchange: Exchange, error: GatewayError, route: GatewayRoute? = nil) -> GatewayResponse {
        var exchange = exchange
        if exchange.cancellation.isCancelled {
            exchange.record.error = "the client closed the connection before the answer"
            let closed = GatewayError(code: .cancelled, message: "the client closed the connection", source: .client)
            return respond(exchange, status: Self.clientClosedRequest, body: ErrorBody.plain(closed))
        }
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
        for (name, value) in error.headers { exchange.headers.add(name: name, value: value) }
        let body = ErrorBody.render(error, transcoder: exchange.snapshot.transcoder)
        return respond(exchange, status: HTTPResponseStatus(statusCode: error.httpStatus), body: body)
    }

    /// nginx's 499: the client closed the connection before the answer; written to the access log only.
    private static let clientClosedRequest = HTTPResponseStatus(statusCode: 499, reasonPhrase: "Client Closed Request")

    private func respond(_ exchange: Exchange, status: HTTPResponseStatus, body: ByteBuffer, contentType: String = "application/json") -> GatewayResponse {
        var exchange = exchange
        exchange.headers.replaceOrAdd(name: "content-type", value: contentType)
        exchange.record.status = Int(status.code)
        exchange.record.bytesOut = body.readableBytes
        exchange.record.durationMicroseconds = Int((NIODeadline.now() - exchange.started).nanoseconds / 1000)
        if exchange.snapshot.configuration.settings.accessLog { accessLog?.write(line: exchange.record.line()) }
        return GatewayResponse(status: status, headers: exchange.headers, body: body)
    }
}
