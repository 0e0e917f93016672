import NIOCore
import NIOHTTP1
import PorticoConfig
import PorticoCore
import PorticoHTTP2
import PorticoRouting
import Tracing

extension GatewayPipeline {
    /// Whether a request's body goes to the stages as it arrives: an NDJSON (`application/x-ndjson`) or JSON
    /// (`application/json`) body, not content-encoded, for a client-streaming or bidirectional route. Any other
    /// body is read whole.
    package func streamsBody(of head: HTTPRequestHead) -> Bool {
        let snapshot = activeGateway.snapshot
        guard snapshot.hasClientStreamingRoutes, let contentType = head.headers.first(name: "content-type"),
              ["application/x-ndjson", "application/json"].contains(RequestTranscoding.mediaType(contentType)),
              head.headers.first(name: "content-encoding").map({ $0.lowercased() == "identity" }) ?? true
        else { return false }
        guard case .matched(let matched) = snapshot.routes.match(method: head.method.rawValue, path: head.uri) else { return false }
        return matched.route.value.target.clientStreaming
    }

    /// Calls a client-streaming or bidirectional route whose body arrives while it runs: the body's NDJSON
    /// lines or array elements go to the backend as they come (``UploadPump``), and the answer is the one reply (client
    /// streaming) or the relayed stream (bidirectional). Such a call is never retried: its body is not kept.
    func callWithUpload(
        _ context: RequestContext,
        body: RequestBodyStream,
        encode: @escaping (ByteBuffer) throws(GatewayError) -> ByteBuffer,
        cluster: BackendCluster,
        guarded: BackendGuard,
        pick: UpstreamPick,
        options: @escaping @Sendable () -> (GRPCCallOptions, (any Span)?)
    ) -> EventLoopFuture<GatewayResponse> {
        guard let route = context.route, let deadline = context.deadline else {
            return context.eventLoop.makeSucceededFuture(finish(context.exchange, error: .internalError(cause: "the upload ran before the request stages")))
        }
        let eventLoop = context.eventLoop
        let exchange = context.exchange
        let cancellation = context.request.cancellation
        let path = route.target.grpcPath
        let maxBytes = route.maxBodyBytes
        let ndjson = ClientStreamBody.isNDJSON(context.request.headers)
        let idleTimeout = route.stream.idleTimeout
        let pump = NIOLoopBoundBox<UploadPump?>(nil, eventLoop: eventLoop)
        /// Starts the call and the pump that feeds it; `onMessage` takes the backend's answers.
        let start = NIOLoopBound({ (onMessage: @escaping @Sendable (ByteBuffer) -> EventLoopFuture<Void>?) -> GRPCCall<GRPCStreamSummary> in
            let (callOptions, span) = options()
            let streamOptions = GRPCCallOptions(deadline: deadline.isUnlimited ? nil : callOptions.deadline, metadata: callOptions.metadata)
            let started = cluster.streamingCall(path, options: streamOptions, on: eventLoop, pick: pick, onMessage: onMessage)
            cancellation.onCancel(started.call)
            let feeding = UploadPump(
                body: body, splitter: ClientStreamBody.splitter(ndjson: ndjson, maxPieceBytes: maxBytes), requests: started.requests,
                maxBytes: maxBytes, idleTimeout: idleTimeout, encode: encode
            ) { started.call.cancel() }
            pump.value = feeding
            feeding.start()
            _ = started.call.response.endingCallSpan(span)
            return started.call
        }, eventLoop: eventLoop)
        if route.target.serverStreaming {
            return relayStream(context, route: route, guarded: guarded, deadline: deadline, retrying: false, localFailure: { pump.value?.failure }) { relay in
                let call = start.value { relay.value.receive($0) }
                relay.value.attach(call)
                return call.response
            }
        }
        let reply = NIOLoopBoundBox<ByteBuffer?>(nil, eventLoop: eventLoop)
        return guarded.call(idempotent: false, retrying: false, deadline: deadline, forwarder: exchange.snapshot.forwarder, on: eventLoop) {
            start.value { message in
                reply.value = message
                return nil
            }
            .response
            .flatMapThrowing { summary in
                guard summary.messageCount == 1, let message = reply.value else {
                    throw GRPCCallError(
                        status: GRPCStatus(code: .unimplemented, message: "a client-streaming call must answer exactly one message, not \(summary.messageCount)"),
                        kind: .transport
                    )
                }
                return GRPCUnaryResponse(headers: summary.headers, message: message, trailers: summary.trailers)
            }
        }
        .map { self.finish(exchange, reply: $0, route: route) }
        .recover { self.finish(exchange, failure: pump.value?.failure ?? $0, route: route) }
    }
}
