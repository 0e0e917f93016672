import CoreMetrics
import NIOCore
import PorticoCore
import PorticoPolicies

/// Counts every request against its client address's `rate_limits.per_client` limit before the route is
/// matched or a credential checked, and refuses it with 429 and `Retry-After` beyond the limit: a flood of bad
/// tokens or unknown paths from one address costs a hash lookup per request, not a signature check.
///
/// With `rate_limits.redis` the count is shared by every instance, and the stage waits for Redis on the
/// request's event loop.
struct ClientRateLimitStage: RequestStage {
    let eventName = "portico.client_rate_limit"

    func process(_ context: RequestContext) -> StageOutcome {
        guard let policy = context.gateway.perClientLimit else { return .proceed }
        let request = context.request
        let address = context.gateway.clientAddress.resolve(peer: request.remoteAddress, headers: request.headers)
        let key = "client|ip:\(address)"
        guard let shared = context.gateway.sharedLimiter else {
            return Self.refusal(context.gateway.limiter.acquire(key: key, policy: policy), metrics: context.gateway.metrics).map(StageOutcome.answer) ?? .proceed
        }
        let metrics = context.gateway.metrics
        return .wait(shared.decide(key: key, policy: policy, local: context.gateway.limiter, on: context.eventLoop).flatMapThrowing { decision in
            if let refusal = Self.refusal(decision, metrics: metrics) { throw refusal }
        })
    }

    /// The 429 to answer when `decision` refuses the request (counted).
    private static func refusal(_ decision: RateLimitDecision, metrics: GatewayMetrics) -> GatewayError? {
        guard !decision.isAllowed else { return nil }
        metrics.clientLimited.increment()
        return GatewayError(
            code: .resourceExhausted, message: "too many requests from this address; retry after \(decision.retryAfterSeconds) s",
            source: .client, httpStatus: 429, headers: [("retry-after", String(decision.retryAfterSeconds))]
        )
    }
}
