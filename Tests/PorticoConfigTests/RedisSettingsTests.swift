import PorticoConfig
import PorticoRedis
import Testing

/// `rate_limits.redis`: read strictly, off when its url is empty, every mistake reported at its position.
@Suite struct RedisSettingsTests {
    static func settings(_ yaml: String, environment: [String: String] = [:]) throws -> RateLimitSettings {
        try MappingsLoader(environment: environment).load(sources: [("gateway.yaml", yaml)]).settings.rateLimits
    }

    @Test func everyKeyIsRead() throws {
        let redis = try #require(try Self.settings("""
            rate_limits:
              redis:
                url: redis://limiter:secret@cache:6380/2
                timeout: 20ms
                failure_mode: closed
                connections_per_event_loop: 2
                key_prefix: "edge:"
            """).redis)
        #expect(redis.endpoint == RedisEndpoint(host: "cache", port: 6380, username: "limiter", password: "secret", database: 2))
        #expect(redis.timeout == .milliseconds(20))
        #expect(redis.failureMode == .closed)
        #expect(redis.connectionsPerEventLoop == 2)
        #expect(redis.keyPrefix == "edge:")
    }

    @Test func anEmptyURLTurnsRedisOffAndASetOneOn() throws {
        let yaml = "rate_limits:\n  redis:\n    url: ${REDIS_URL:-}\n"
        #expect(try Self.settings(yaml).redis == nil)
        let on = try #require(try Self.settings(yaml, environment: ["REDIS_URL": "redis://127.0.0.1:6379"]).redis)
        #expect(on.endpoint == RedisEndpoint(host: "127.0.0.1"))
        #expect(on.timeout == .milliseconds(50) && on.failureMode == .open && on.connectionsPerEventLoop == 1 && on.keyPrefix == "portico:rl:")
    }

    static let mistakes: [(String, String)] = [
        ("rate_limits:\n  redis:\n    url: rediss://cache:6379", "gateway.yaml:3:10: rate_limits.redis.url: redis url: rediss:// (Redis over TLS) is not supported yet; use redis:// on a trusted network"),
        ("rate_limits:\n  redis:\n    url: redis://cache:6379\n    failure_mode: maybe", "gateway.yaml:4:19: rate_limits.redis.failure_mode: failure_mode must be open or closed, got \"maybe\""),
        ("rate_limits:\n  redis:\n    url: redis://cache:6379\n    connections_per_event_loop: 0", "gateway.yaml:4:33: rate_limits.redis.connections_per_event_loop: connections_per_event_loop must be between 1 and 64"),
        ("rate_limits:\n  redis:\n    url: redis://cache:6379\n    pool: 3", "gateway.yaml:4:5: rate_limits.redis.pool: unknown key \"pool\" (expected one of: connections_per_event_loop, failure_mode, key_prefix, timeout, url)"),
    ]

    @Test(arguments: mistakes)
    func reportsEachMistakeWithItsPosition(text: String, expected: String) {
        do {
            _ = try MappingsLoader(environment: [:]).load(sources: [("gateway.yaml", text)])
            Issue.record("expected an error")
        } catch {
            #expect(error.diagnostics.map(\.description) == [expected])
            #expect(!error.diagnostics.map(\.description).joined().contains("secret"))
        }
    }
}
