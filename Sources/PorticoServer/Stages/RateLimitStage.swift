import CoreMetrics
import NIOHTTP1
import PorticoCore
import PorticoPolicies

/// Counts the request against the route's rate limit, adds the `RateLimit` and `RateLimit-Policy` headers,
/// and refuses it with 429 and `Retry-After` beyond the limit.
struct RateLimitStage: RequestStage {
    let eventName = "portico.rate_limit"

    func process(_ context: RequestContext) -> StageOutcome {
        guard let rateLimit = context.route?.rateLimit else { return .proceed }
        let request = context.request
        let principal = context.principal
        let caller = RateLimitCaller(
            clientIP: context.gateway.clientAddress.resolve(peer: request.remoteAddress, headers: request.headers),
            principal: principal?.subject,
            apiKeyClient: principal?.kind == .apiKey ? principal?.clientID : nil,
            plan: principal?.plan
        )
        let decision = rateLimit.decide(caller, limiter: context.gateway.limiter)
        context.exchange.metrics?.recordRateLimit(allowed: decision.isAllowed)
        context.exchange.headers.add(name: "ratelimit-policy", value: decision.policyHeader)
        context.exchange.headers.add(name: "ratelimit", value: decision.limitHeader)
        guard decision.isAllowed else {
            return .answer(GatewayError(
                code: .resourceExhausted, message: "rate limit exceeded; retry after \(decision.retryAfterSeconds) s", source: .client,
                httpStatus: 429, headers: [("retry-after", String(decision.retryAfterSeconds))]
            ))
        }
        return .proceed
    }
}
