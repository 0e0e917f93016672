import NIOCore
import PorticoCore
import PorticoHTTP2
import PorticoPolicies
import PorticoRouting
import Tracing

/// A request's call with one answer to its route's backend, retries included, as one object on the
/// request's event loop.
///
/// It does what ``BackendGuard/call(idempotent:retrying:deadline:forwarder:on:_:)`` and a chain of future
/// transforms would (the breaker's admission and outcome, the call's duration, a client span per attempt,
/// jittered retries within the budget and the deadline, then the answer or the error written by the
/// pipeline) with one promise and one completion callback per attempt, instead of a future, a closure
/// and a callback for every step of every request.
final class UnaryBackendCall {
    private let pipeline: GatewayPipeline
    private let context: RequestContext
    private let route: GatewayRoute
    private let cluster: BackendCluster
    private let guarded: BackendGuard
    private let deadline: ClientDeadline
    private let metadata: GRPCMetadata
    private let pick: UpstreamPick
    private let promise: EventLoopPromise<GatewayResponse>
    /// The attempt running, from 0.
    private var number = 0
    private var ticket: CircuitBreaker.StateMachine.Ticket?
    private var started = NIODeadline.uptimeNanoseconds(0)
    private var span: (any Span)?

    init(
        pipeline: GatewayPipeline, context: RequestContext, route: GatewayRoute, cluster: BackendCluster, guarded: BackendGuard,
        deadline: ClientDeadline, metadata: GRPCMetadata
    ) {
        self.pipeline = pipeline
        self.context = context
        self.route = route
        self.cluster = cluster
        self.guarded = guarded
        self.deadline = deadline
        self.metadata = metadata
        pick = context.upstreamPick(for: cluster)
        promise = context.eventLoop.makePromise(of: GatewayResponse.self)
    }

    /// Runs the first attempt; the future succeeds with the answer to write, whatever the call's outcome.
    func start() -> EventLoopFuture<GatewayResponse> {
        guarded.budget?.recordRequest()
        attempt()
        return promise.futureResult
    }

    private func attempt() {
        switch guarded.admit() {
        case .success(let admitted):
            ticket = admitted
        case .failure(let refusal):
            promise.succeed(pipeline.finish(context.exchange, error: refusal, route: route))
            return
        }
        var attemptMetadata = metadata
        span = pipeline.runtime.tracer.startCall(context.exchange.trace, rpc: route.target.grpcPath, backend: guarded.name, metadata: &attemptMetadata)
        let options = GRPCCallOptions(deadline: deadline.deadline, metadata: attemptMetadata)
        started = NIODeadline.now()
        let call = cluster.unary(route.target.grpcPath, requests: context.messages, options: options, on: context.eventLoop, pick: pick)
        context.request.cancellation.onCancel(call.cancellation)
        call.response.hop(to: context.eventLoop).assumeIsolated().whenComplete { self.ended($0) }
    }

    private func ended(_ result: Result<GRPCUnaryResponse, any Error>) {
        let failure = result.failure
        if let span { CallSpan.end(span, failure: failure) }
        guarded.recordAttempt(failure: failure, started: started, ticket: ticket, deadline: deadline)
        switch result {
        case .success(let reply):
            promise.succeed(pipeline.finish(context.exchange, reply: reply, route: route))
        case .failure(let error):
            if let delay = guarded.retryDelay(after: error, number: number, idempotent: route.idempotent, deadline: deadline) {
                number += 1
                context.eventLoop.assumeIsolated().scheduleTask(in: delay) { self.attempt() }
                return
            }
            let failure = BackendGuard.gatewayError(error, forwarder: context.exchange.snapshot.forwarder)
            promise.succeed(pipeline.finish(context.exchange, failure: failure, route: route))
        }
    }
}
