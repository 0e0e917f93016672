import CoreMetrics
import NIOCore
import NIOHTTP1
import PorticoCore
import PorticoPolicies

/// Counts the request against the route's rate limit, adds the `RateLimit` and `RateLimit-Policy` headers,
/// and refuses it with 429 and `Retry-After` beyond the limit.
///
/// The count is the instance's own (``RateLimiter``, decided at once) or, with `rate_limits.redis`, shared by
/// every instance (``SharedRateLimiter``: the stage waits for Redis on the request's event loop).
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
        let bucket = rateLimit.bucket(of: caller)
        guard let shared = context.gateway.sharedLimiter else {
            return Self.apply(context.gateway.limiter.acquire(key: bucket.key, policy: bucket.policy), to: context).map(StageOutcome.answer) ?? .proceed
        }
        let decided = shared.decide(key: bucket.key, policy: bucket.policy, local: context.gateway.limiter, on: context.eventLoop)
        return .wait(decided.assumeIsolated().flatMapThrowing { decision in
            if let refusal = Self.apply(decision, to: context) { throw refusal }
        }.nonisolated())
    }

    /// Counts `decision` and adds its headers; the 429 to answer when it refuses the request.
    private static func apply(_ decision: RateLimitDecision, to context: RequestContext) -> GatewayError? {
        context.exchange.metrics?.recordRateLimit(allowed: decision.isAllowed)
        context.exchange.headers.add(name: "ratelimit-policy", value: decision.policyHeader)
        context.exchange.headers.add(name: "ratelimit", value: decision.limitHeader)
        guard decision.isAllowed else {
            return GatewayError(
                code: .resourceExhausted, message: "rate limit exceeded; retry after \(decision.retryAfterSeconds) s", source: .client,
                httpStatus: 429, headers: [("retry-after", String(decision.retryAfterSeconds))]
            )
        }
        return nil
    }
}
