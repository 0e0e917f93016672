import NIOCore
import NIOHTTP1
import PorticoConfig
import PorticoCore
import PorticoHTTP2
import PorticoPolicies
import PorticoRouting
import Synchronization

extension GatewayPipeline: WebSocketResponder {
    /// The stages of a WebSocket upgrade: the per-client limit, the API version, the path's streaming route,
    /// credentials, the route's rate limit and the deadline (its `max_duration`), as for a request.
    static let webSocketStages: [any RequestStage] = [
        ClientRateLimitStage(),
        APIVersionStage(),
        RouteMatchStage(webSocket: true),
        AuthenticationStage(),
        RateLimitStage(),
        ClientDeadlineStage(),
    ]

    func openWebSocket(_ request: GatewayRequest, on eventLoop: any EventLoop) -> EventLoopFuture<WebSocketAdmission> {
        let gateway = activeGateway
        working.add(1, ordering: .relaxed)
        let exchange = start(request, gateway: gateway)
        let requestID = exchange.record.requestID
        let context = RequestContext(request: request, gateway: gateway, eventLoop: eventLoop, exchange: exchange)
        let opened = NIOLoopBoundBox<WebSocketSession?>(nil, eventLoop: eventLoop)
        return run(context, stages: Self.webSocketStages, from: 0) { context in
            do throws(GatewayError) {
                opened.value = try self.session(for: context)
            } catch {
                return context.eventLoop.makeSucceededFuture(self.finish(context.exchange, error: error, route: context.route))
            }
            return context.eventLoop.makeSucceededFuture(GatewayResponse(status: .switchingProtocols))
        }
        .map { response in
            guard response.status == .switchingProtocols, let session = opened.value else { return .refused(response) }
            return .accepted(NIOLoopBound(session, eventLoop: eventLoop), headers: [(RequestIDStage.headerName, requestID)])
        }
    }

    /// The session of an admitted upgrade: its call, how each frame becomes a request message, and its access
    /// record when it ends.
    private func session(for context: RequestContext) throws(GatewayError) -> WebSocketSession {
        guard let matched = context.matched, let route = context.route, let deadline = context.deadline, let version = context.exchange.version else {
            throw .internalError(cause: "the WebSocket session started before the request stages")
        }
        if let origin = context.request.headers.first(name: "origin"), let policy = route.cors, !policy.allows(origin: origin) {
            throw GatewayError(code: .permissionDenied, message: "this origin may not open a WebSocket here", source: .client)
        }
        let eventLoop = context.eventLoop
        let exchange = context.exchange
        let snapshot = exchange.snapshot
        let transcoding = RequestTranscoding(snapshot: snapshot, version: version)
        let encodeRequest: ((ByteBuffer) throws(GatewayError) -> ByteBuffer)?
        let requestMessage: ByteBuffer?
        if route.target.clientStreaming {
            encodeRequest = try transcoding.pieceEncoder(for: context.request, matched: matched)
            requestMessage = nil
        } else {
            encodeRequest = nil
            requestMessage = try transcoding.protobuf(for: context.request, matched: matched)
        }
        let cluster = context.gateway.clusters[route.backendIndex]
        let metadata = exchange.snapshot.forwarder.requestMetadata(
            from: context.request.headers, requestID: exchange.record.requestID, claims: context.principal?.metadata ?? []
        )
        let pick = context.upstreamPick(for: cluster)
        let options = GRPCCallOptions(deadline: deadline.isUnlimited ? nil : deadline.deadline, metadata: metadata)
        let path = route.target.grpcPath
        let session = WebSocketSession(
            eventLoop: eventLoop,
            idleTimeout: TimeAmount(route.stream.idleTimeout),
            maxMessageBytes: route.maxBodyBytes,
            startCall: { onMessage in
                if let requestMessage {
                    let call = cluster.serverStreaming(path, requests: [requestMessage], options: options, on: eventLoop, pick: pick, onMessage: onMessage)
                    return (call, nil)
                }
                let started = cluster.streamingCall(path, options: options, on: eventLoop, pick: pick, onMessage: onMessage)
                return (started.call, started.requests)
            },
            encodeRequest: encodeRequest,
            encodeReply: { reply throws(GatewayError) in try route.responseJSON(reply, version: version, transcoder: snapshot.transcoder) },
            clientError: { error in
                var scratch = exchange
                return self.clientError(error, exchange: &scratch, route: route)
            }
        )
        leaveWork()
        session.onEnd = { outcome in
            var exchange = exchange
            exchange.record.bytesIn = outcome.bytesIn
            exchange.noteUpstreamEnd(grpcStatus: (outcome.failure?.code ?? .ok).rawValue)
            if let failure = outcome.failure {
                exchange.record.error = "the WebSocket ended after \(outcome.received) messages in, \(outcome.sent) out: \(failure.description)"
            }
            self.record(exchange, status: .switchingProtocols, code: outcome.failure?.code ?? .ok, bytesOut: outcome.bytesOut)
        }
        return session
    }
}
