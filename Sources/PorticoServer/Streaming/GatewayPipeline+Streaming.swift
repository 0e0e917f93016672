import NIOCore
import PorticoRouting
import NIOHTTP1
import PorticoCore
import PorticoHTTP2

extension GatewayPipeline {
    /// Calls a server-streaming route's method through its backend's guard and relays the messages as they
    /// arrive (``ServerStreamRelay``), in the format the client's `Accept` chose (``StreamFormat``).
    ///
    /// The answer's future completes with the head once the first message (or heartbeat) is there, or with
    /// the whole answer when the call ends before: an error with its own status, or an empty stream. A
    /// stream is retried only when the backend never saw it (its messages cannot be taken back), and not at
    /// all without `retrying`; it counts against `limits.max_in_flight` only until its head is out. A
    /// `localFailure` (an upload's bad line) is answered in place of the call's own failure.
    func relayStream(
        _ context: RequestContext,
        route: GatewayRoute,
        guarded: BackendGuard,
        deadline: ClientDeadline,
        retrying: Bool = true,
        localFailure: @escaping () -> GatewayError? = { nil },
        attempt: @escaping @Sendable (NIOLoopBound<ServerStreamRelay>) -> EventLoopFuture<GRPCStreamSummary>
    ) -> EventLoopFuture<GatewayResponse> {
        let eventLoop = context.eventLoop
        let exchange = context.exchange
        let snapshot = exchange.snapshot
        let version = exchange.version
        let format: StreamFormat = route.httpBody.response
            ? .raw
            : StreamFormat.negotiate(accept: context.request.headers[canonicalForm: "accept"].joined(separator: ","))
        let encode: (ByteBuffer) throws(GatewayError) -> (data: ByteBuffer, contentType: String?)
        if route.httpBody.response {
            let httpBody = HttpBodyTranscoding(descriptors: snapshot.descriptors)
            encode = { message throws(GatewayError) in
                let raw = try httpBody.decode(message, message: route.target.outputType, responseField: route.target.responseBody)
                return (raw.data, raw.contentType)
            }
        } else {
            encode = { message throws(GatewayError) in
                (try route.responseJSON(message, version: version, transcoder: snapshot.transcoder), nil)
            }
        }
        let relay = ServerStreamRelay(
            format: format, settings: route.stream, eventLoop: eventLoop, encode: encode,
            render: { error in
                var scratch = exchange
                return ErrorBody.render(self.clientError(error, exchange: &scratch, route: route), transcoder: snapshot.transcoder)
            }
        )
        let answer = eventLoop.makePromise(of: GatewayResponse.self)
        let bound = NIOLoopBound(relay, eventLoop: eventLoop)
        relay.onCommit = { contentType in
            var head = self.decorate(exchange, contentType: contentType)
            head.headers.replaceOrAdd(name: "cache-control", value: "no-cache")
            head.headers.replaceOrAdd(name: "x-accel-buffering", value: "no")
            self.leaveWork()
            relay.onEnd = { outcome in self.recordStream(head, outcome: outcome, route: route) }
            answer.succeed(GatewayResponse(status: .ok, headers: head.headers, stream: RelayedBody(relay: bound)))
        }
        let forwarder = snapshot.forwarder
        guarded.call(idempotent: false, retrying: retrying, deadline: deadline, forwarder: forwarder, on: eventLoop) { attempt(bound) }
            .assumeIsolated()
            .whenComplete { result in
                var exchange = exchange
                let failure: GatewayError?
                switch result {
                case .success(let summary):
                    failure = nil
                    exchange.noteUpstreamEnd(grpcStatus: 0)
                    _ = exchange.forward(summary.headers, summary.trailers)
                case .failure(let error):
                    failure = localFailure() ?? GatewayError(error)
                }
                switch relay.complete(failure) {
                case .streamed:
                    break
                case .whole(let error?):
                    answer.succeed(self.finish(exchange, error: error, route: route))
                case .whole(nil):
                    let body = format.end(count: 0) ?? ByteBuffer()
                    answer.succeed(self.respond(exchange, status: .ok, code: .ok, body: body, contentType: format.contentType))
                }
            }
        return answer.futureResult
    }

    /// Records a relayed stream once it is over: the head's 200, the stream's own outcome as its gRPC code
    /// and error, and the bytes it carried.
    private func recordStream(_ exchange: Exchange, outcome: ServerStreamRelay.Outcome, route: GatewayRoute) {
        var exchange = exchange
        let code = outcome.failure?.code ?? .ok
        if exchange.record.grpcStatus == nil { exchange.noteUpstreamEnd(grpcStatus: code.rawValue) }
        if let failure = outcome.failure {
            exchange.record.error = "the stream ended after \(outcome.messages) messages: \(failure.description)"
        }
        record(exchange, status: .ok, code: code, bytesOut: outcome.bytes)
    }
}
