public import Logging
public import NIOCore
import NIOHTTP1
public import PorticoCore
import PorticoCodec
import PorticoHTTP2
public import PorticoPolicies
import PorticoRouting
import Synchronization

/// The stage chain between the public listener and the backends, in this order:
///
/// 1. request id (the client's `X-Request-Id` or a new one),
/// 2. API version (`x-api-version`, 400 for an unknown one),
/// 3. route match (404, 405 with `Allow`, 400 for a malformed path),
/// 4. rate limit (429 with `Retry-After`; `RateLimit` and `RateLimit-Policy` on every answer),
/// 5. request transcoding (body, path variables, query parameters → protobuf; 400, 413, 415),
/// 6. the backend call through the backend's circuit breaker (503 with `Retry-After` when open), retried
///    with backoff within the retry budget (deadline from the route's timeout, shortened by the client's
///    `grpc-timeout` or `X-Request-Timeout`; allow-listed metadata),
/// 7. response transcoding (protobuf → JSON in the version's names; errors as `google.rpc.Status`),
/// 8. the access-log line.
///
/// Everything runs on the connection's event loop; the only wait is the backend call.
public final class GatewayPipeline: GatewayResponder {
    private let active: Mutex<ActiveGateway>
    private let upstreams: UpstreamDirectory
    private let policies: PolicyDirectory
    private let accessLog: (any AccessLogSink)?
    private let logger: Logger
    private let requestIDs = RequestIDStage()

    public init(
        snapshot: GatewaySnapshot,
        upstreams: UpstreamDirectory,
        policies: PolicyDirectory,
        accessLog: (any AccessLogSink)?,
        logger: Logger = Logger(label: "portico.gateway")
    ) {
        self.upstreams = upstreams
        self.policies = policies
        self.accessLog = accessLog
        self.logger = logger
        active = Mutex(ActiveGateway(snapshot: snapshot, clients: upstreams.clients(for: snapshot.backends), policies: policies, logger: logger))
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
    public func install(_ snapshot: GatewaySnapshot) {
        let gateway = ActiveGateway(snapshot: snapshot, clients: upstreams.clients(for: snapshot.backends), policies: policies, logger: logger)
        active.withLock { $0 = gateway }
    }

    public func respond(to request: GatewayRequest, on eventLoop: any EventLoop) -> EventLoopFuture<GatewayResponse> {
        let gateway = active.withLock { $0 }
        let snapshot = gateway.snapshot
        let started = NIODeadline.now()
        let requestID = requestIDs.requestID(for: request.headers)
        var exchange = Exchange(
            snapshot: snapshot,
            started: started,
            record: AccessRecord(requestID: requestID, method: request.method.rawValue, path: request.path, bytesIn: request.body.readableBytes),
            headers: HTTPHeaders([(RequestIDStage.headerName, requestID)])
        )
        let matched: MatchedRoute<GatewayRoute>
        let message: ByteBuffer
        let timeout: TimeAmount
        do {
            let version = try selectVersion(request, snapshot: snapshot)
            exchange.record.version = version.name
            for (name, value) in version.responseHeaders { exchange.headers.add(name: name, value: value) }
            matched = try match(request, snapshot: snapshot)
            exchange.record.route = matched.route.value.target.selector
            try limitRate(request, route: matched.route.value, gateway: gateway, exchange: &exchange)
            message = try RequestTranscoding(snapshot: snapshot, version: version).protobuf(for: request, matched: matched)
            timeout = try ClientDeadline.timeout(for: request.headers, routeTimeout: TimeAmount(matched.route.value.timeout))
            exchange.version = version
        } catch {
            return eventLoop.makeSucceededFuture(finish(exchange, rejection: error))
        }
        let route = matched.route.value
        let metadata = snapshot.forwarder.requestMetadata(from: request.headers, requestID: requestID)
        let options = GRPCCallOptions(deadline: started + timeout, metadata: metadata)
        let client = gateway.clients[route.backendIndex]
        let guarded = gateway.guards[route.backendIndex]
        let sent = exchange
        if route.target.serverStreaming {
            return guarded.call(idempotent: route.idempotent, deadline: started + timeout, on: eventLoop) {
                UpstreamStream.collect(client: client, route: route, message: message, options: options, on: eventLoop)
            }
            .map { self.finish(sent, streamed: $0, route: route) }
            .recover { self.finish(sent, failure: $0) }
        }
        return guarded.call(idempotent: route.idempotent, deadline: started + timeout, on: eventLoop) {
            client.unary(route.target.grpcPath, request: message, options: options, on: eventLoop).response
        }
        .map { self.finish(sent, reply: $0, route: route) }
        .recover { self.finish(sent, failure: $0) }
    }

    /// Counts the request against the route's rate limit, adds the `RateLimit` headers, and refuses it with
    /// 429 and `Retry-After` beyond the limit.
    private func limitRate(_ request: GatewayRequest, route: GatewayRoute, gateway: ActiveGateway, exchange: inout Exchange) throws(Rejection) {
        guard let rateLimit = route.rateLimit else { return }
        let caller = RateLimitCaller(clientIP: gateway.clientAddress.resolve(peer: request.remoteAddress, headers: request.headers))
        let decision = rateLimit.decide(caller, limiter: gateway.limiter)
        exchange.headers.add(name: "ratelimit-policy", value: decision.policyHeader)
        exchange.headers.add(name: "ratelimit", value: decision.limitHeader)
        guard decision.isAllowed else {
            throw Rejection(
                GatewayError(code: .resourceExhausted, message: "rate limit exceeded; retry after \(decision.retryAfterSeconds) s", source: .client),
                status: .tooManyRequests,
                headers: [("retry-after", String(decision.retryAfterSeconds))]
            )
        }
    }

    private func selectVersion(_ request: GatewayRequest, snapshot: GatewaySnapshot) throws(Rejection) -> APIVersion {
        do {
            return try snapshot.versions.select(request.headers)
        } catch {
            throw Rejection(error)
        }
    }

    private func match(_ request: GatewayRequest, snapshot: GatewaySnapshot) throws(Rejection) -> MatchedRoute<GatewayRoute> {
        switch snapshot.routes.match(method: request.method.rawValue, path: request.uri) {
        case .matched(let matched):
            return matched
        case .notFound:
            throw Rejection(GatewayError(code: .notFound, message: "no route matches this path", source: .client))
        case .methodNotAllowed(let allowed):
            let list = allowed.joined(separator: ", ")
            throw Rejection(
                GatewayError(code: .unimplemented, message: "method \(request.method.rawValue) is not allowed here; allowed: \(list)", source: .client),
                status: .methodNotAllowed,
                headers: [("allow", list)]
            )
        case .invalidPath(let error):
            throw Rejection(error)
        }
    }

    private func finish(_ exchange: Exchange, reply: GRPCUnaryResponse, route: GatewayRoute) -> GatewayResponse {
        var exchange = exchange
        exchange.noteUpstreamEnd(grpcStatus: 0)
        exchange.forward(reply.headers, reply.trailers)
        do {
            let body = try exchange.snapshot.transcoder.json(
                fromProtobuf: reply.message,
                message: route.target.outputType,
                responseField: route.target.responseBody,
                options: JSONTranscoder.Options(apiVersion: exchange.version?.name)
            )
            return respond(exchange, status: .ok, body: body)
        } catch {
            return finish(exchange, rejection: Rejection(error))
        }
    }

    private func finish(_ exchange: Exchange, streamed: UpstreamStream.Collected, route: GatewayRoute) -> GatewayResponse {
        var exchange = exchange
        exchange.noteUpstreamEnd(grpcStatus: 0)
        exchange.forward(streamed.headers, streamed.trailers)
        do {
            let body = try streamed.jsonArray(transcoder: exchange.snapshot.transcoder, route: route, version: exchange.version?.name)
            return respond(exchange, status: .ok, body: body)
        } catch {
            return finish(exchange, rejection: Rejection(error))
        }
    }

    private func finish(_ exchange: Exchange, failure: any Error) -> GatewayResponse {
        var exchange = exchange
        if let rejection = failure as? Rejection {
            exchange.record.error = rejection.error.description
            return finish(exchange, rejection: rejection)
        }
        guard let callError = failure as? GRPCCallError else {
            return finish(exchange, rejection: Rejection(.internalError(cause: "\(failure)")))
        }
        exchange.noteUpstreamEnd(grpcStatus: callError.code.rawValue)
        exchange.forward(GRPCMetadata(), callError.trailers)
        let error = callError.gatewayError
        exchange.record.error = error.cause.map { "\(error.code.name): \($0)" } ?? error.code.name
        let body = ErrorBody.render(error, details: callError.status.details, transcoder: exchange.snapshot.transcoder)
        return respond(exchange, status: HTTPResponseStatus(statusCode: error.httpStatus), body: body)
    }

    private func finish(_ exchange: Exchange, rejection: Rejection) -> GatewayResponse {
        var exchange = exchange
        for (name, value) in rejection.headers { exchange.headers.add(name: name, value: value) }
        if rejection.error.source != .client || rejection.error.cause != nil {
            exchange.record.error = rejection.error.description
        }
        return respond(exchange, status: rejection.status, body: ErrorBody.plain(rejection.error))
    }

    private func respond(_ exchange: Exchange, status: HTTPResponseStatus, body: ByteBuffer) -> GatewayResponse {
        var exchange = exchange
        exchange.headers.replaceOrAdd(name: "content-type", value: "application/json")
        exchange.record.status = Int(status.code)
        exchange.record.bytesOut = body.readableBytes
        exchange.record.durationMicroseconds = Int((NIODeadline.now() - exchange.started).nanoseconds / 1000)
        accessLog?.write(line: exchange.record.line())
        return GatewayResponse(status: status, headers: exchange.headers, body: body)
    }
}
