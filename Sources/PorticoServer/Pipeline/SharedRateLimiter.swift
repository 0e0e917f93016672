import CoreMetrics
import NIOCore
import PorticoConfig
import PorticoCore
import PorticoPolicies
import PorticoRedis

/// Rate-limit decisions shared by every gateway instance through Redis, within the configured time, with
/// the configured failure mode when Redis cannot decide: `open` lets the instance's own ``RateLimiter``
/// decide, `closed` refuses with 503 and `Retry-After: 1` (the client never sees the Redis error).
///
/// Every decision is counted by outcome (allowed, refused, fallback, error) and timed.
final class SharedRateLimiter: Sendable {
    /// How a decision ended, the `outcome` label of `portico_rate_limit_redis_decisions_total`.
    enum Outcome: String, CaseIterable {
        case allowed
        case refused
        case fallback
        case error
    }

    let settings: RedisRateLimitSettings
    let limiter: RedisRateLimiter
    private let timeout: TimeAmount
    private let outcomes: [Outcome: CoreMetrics.Counter]
    private let latency: CoreMetrics.Timer

    init(settings: RedisRateLimitSettings, client: RedisClient, metrics: GatewayMetrics) {
        self.settings = settings
        limiter = RedisRateLimiter(client: client, keyPrefix: settings.keyPrefix)
        timeout = TimeAmount(settings.timeout)
        outcomes = metrics.redisDecisionCounters()
        latency = metrics.redisDecisionLatency
    }

    /// Decides one request of `key` under `policy`, completing on `loop`; `local` decides when Redis cannot
    /// and the failure mode is open.
    ///
    /// - Returns: the decision, or a failed future with a 503 ``GatewayError`` when Redis cannot decide and
    ///   the failure mode is closed.
    func decide(key: String, policy: RateLimitPolicy, local: RateLimiter, on loop: any EventLoop) -> EventLoopFuture<RateLimitDecision> {
        let started = NIODeadline.now()
        let answer = loop.makePromise(of: RateLimitDecision.self)
        var isAnswered = false
        let finish = { (result: Result<RateLimitDecision, any Error>) in
            guard !isAnswered else { return }
            isAnswered = true
            self.latency.recordNanoseconds((NIODeadline.now() - started).nanoseconds)
            switch (result, self.settings.failureMode) {
            case (.success(let decision), _):
                self.outcomes[decision.isAllowed ? .allowed : .refused]?.increment()
                answer.succeed(decision)
            case (.failure, .open):
                self.outcomes[.fallback]?.increment()
                answer.succeed(local.acquire(key: key, policy: policy))
            case (.failure(let error), .closed):
                self.outcomes[.error]?.increment()
                answer.fail(GatewayError(
                    code: .unavailable, message: "rate limits cannot be checked right now; retry later", source: .gateway,
                    isRetryable: true, cause: "\(error)", httpStatus: 503, headers: [("retry-after", "1")]
                ))
            }
        }
        let timer = loop.assumeIsolated().scheduleTask(in: timeout) {
            finish(.failure(RedisError(.timeout, "no rate-limit decision from Redis within \(self.timeout)")))
        }
        limiter.acquire(key: key, policy: policy, on: loop).hop(to: loop).assumeIsolated().whenComplete { result in
            timer.cancel()
            finish(result)
        }
        return answer.futureResult
    }
}
