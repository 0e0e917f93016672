import NIOCore
import PorticoCore

/// Sets the backend call's deadline: the route's timeout, shortened by the client's `grpc-timeout` or
/// `X-Request-Timeout` (``ClientDeadline``; 400 for a malformed one).
struct ClientDeadlineStage: RequestStage {
    let eventName = "portico.client_deadline"

    func process(_ context: RequestContext) -> StageOutcome {
        guard let route = context.route else {
            return .answer(.internalError(cause: "the deadline stage ran before the route match"))
        }
        do {
            context.deadline = try ClientDeadline(
                for: context.request.headers, routeTimeout: route.timeout, started: context.exchange.started
            )
            return .proceed
        } catch {
            return .answer(error)
        }
    }
}
