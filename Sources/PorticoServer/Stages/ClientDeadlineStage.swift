import NIOCore
import PorticoRouting
import PorticoConfig
import PorticoCore

/// Sets the backend call's deadline: the route's timeout (a server stream's `max_duration`, or none),
/// shortened by the client's `grpc-timeout` or `X-Request-Timeout` (``ClientDeadline``; 400 for a malformed
/// one).
struct ClientDeadlineStage: RequestStage {
    let eventName = "portico.client_deadline"

    func process(_ context: RequestContext) -> StageOutcome {
        guard let route = context.route else {
            return .answer(.internalError(cause: "the deadline stage ran before the route match"))
        }
        do {
            context.deadline = try ClientDeadline(
                for: context.request.headers,
                routeTimeout: route.target.serverStreaming ? route.stream.maxDuration.map(TimeAmount.init) : route.timeout,
                started: context.exchange.started
            )
            return .proceed
        } catch {
            return .answer(error)
        }
    }
}
