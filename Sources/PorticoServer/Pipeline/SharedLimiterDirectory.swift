import Logging
import NIOCore
import PorticoConfig
import PorticoPolicies
import PorticoRedis
import Synchronization

/// The Redis client of the shared rate limits, kept across reloads while `rate_limits.redis` stays the same
/// and closed when it changes or goes: a reload never leaks connections, and an unchanged one keeps them.
final class SharedLimiterDirectory: Sendable {
    private let current = Mutex<SharedRateLimiter?>(nil)
    private let metrics: GatewayMetrics
    private let logger: Logger

    init(metrics: GatewayMetrics, logger: Logger) {
        self.metrics = metrics
        self.logger = logger
    }

    /// The shared limiter for `settings`: the running one when they are unchanged, a new one otherwise (the
    /// old one's connections close); `nil`, after closing any, when Redis is off.
    func limiter(for settings: RedisRateLimitSettings?) -> SharedRateLimiter? {
        current.withLock { current in
            if let running = current, running.settings == settings { return running }
            current?.limiter.client.close()
            current = settings.map { settings in
                let configuration = RedisConfiguration(
                    endpoint: settings.endpoint, commandTimeout: TimeAmount(settings.timeout),
                    connectionsPerEventLoop: settings.connectionsPerEventLoop
                )
                logger.info("rate limits shared through Redis", metadata: [
                    "redis": "\(settings.endpoint)", "failure_mode": "\(settings.failureMode.rawValue)",
                ])
                return SharedRateLimiter(settings: settings, client: RedisClient(configuration: configuration, logger: logger), metrics: metrics)
            }
            return current
        }
    }

    /// Closes the Redis connections, at shutdown.
    func shutdown() async {
        let running = current.withLock { current in
            defer { current = nil }
            return current
        }
        await running?.limiter.client.shutdown()
    }
}
