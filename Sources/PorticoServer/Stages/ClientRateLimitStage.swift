import CoreMetrics
import PorticoCore
import PorticoPolicies

/// Counts every request against its client address's `rate_limits.per_client` limit before the route is
/// matched or a credential checked, and refuses it with 429 and `Retry-After` beyond the limit: a flood of bad
/// tokens or unknown paths from one address costs a hash lookup per request, not a signature check.
struct ClientRateLimitStage: RequestStage {
    let eventName = "portico.client_rate_limit"

    func process(_ context: RequestContext) -> StageOutcome {
        guard let policy = context.gateway.perClientLimit else { return .proceed }
        let request = context.request
        let address = context.gateway.clientAddress.resolve(peer: request.remoteAddress, headers: request.headers)
        let decision = context.gateway.limiter.acquire(key: "client|ip:\(address)", policy: policy)
        guard decision.isAllowed else {
            context.gateway.metrics.clientLimited.increment()
            return .answer(GatewayError(
                code: .resourceExhausted, message: "too many requests from this address; retry after \(decision.retryAfterSeconds) s",
                source: .client, httpStatus: 429, headers: [("retry-after", String(decision.retryAfterSeconds))]
            ))
        }
        return .proceed
    }
}
