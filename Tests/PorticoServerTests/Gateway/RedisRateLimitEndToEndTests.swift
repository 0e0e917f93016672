import Foundation
import NIOCore
import NIOPosix
import PorticoHTTP2
import PorticoRedis
import PorticoServer
import PorticoTesting
import Testing

/// Rate limits shared through a real `redis-server`: two `portico` processes admit the limit once between
/// them, and a Redis that stops mid-run gives the configured failure mode until it comes back.
@Suite struct RedisRateLimitEndToEndTests {
    /// A probe mappings folder whose backend allows `limit` requests an hour at once, counted in `redis`; the
    /// decision timeout is long, so a loaded machine cannot turn a slow answer into the failure mode.
    static func mappings(redis: RedisServer, failureMode: String, limit: Int = 20, probeAddress: String? = nil) throws -> URL {
        let folder = try GatewayHarness.mappings(
            gateway: """
                rate_limits:
                  redis:
                    url: \(redis.url)
                    timeout: 30s
                    failure_mode: \(failureMode)
                    key_prefix: "test:rl:"
                """,
            backend: "rate_limit: { limit: \(limit), period: 1h, burst: \(limit) }"
        )
        if let probeAddress {
            let file = folder.appendingPathComponent("probe.yaml")
            let text = try String(contentsOf: file, encoding: .utf8).replacingOccurrences(of: "${PROBE_ADDR}", with: probeAddress)
            try text.write(to: file, atomically: true, encoding: .utf8)
        }
        return folder
    }

    /// The keys the gateway stored in `redis`.
    static func keyCount(_ redis: RedisServer, group: any EventLoopGroup) async throws -> Int64? {
        let client = RedisClient(configuration: RedisConfiguration(endpoint: RedisEndpoint(host: "127.0.0.1", port: redis.port), commandTimeout: .seconds(5)))
        defer { client.close() }
        return try await client.send(["DBSIZE"], on: group.next()).get().integer
    }

    @Test func twoGatewaysSharingOneRedisAdmitTheLimitOnceBetweenThem() async throws {
        let redis = try await RedisServer.start()
        defer { redis.stop() }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let backend = try await ProbeBackend.start(group: group)
        let mappings = try Self.mappings(redis: redis, failureMode: "closed", probeAddress: "127.0.0.1:\(backend.port)")
        let protos = Fixtures.url("gateway/protos")
        let first = try await GatewayProcess.start(protos: protos, mappings: mappings)
        defer { first.stop() }
        let second = try await GatewayProcess.start(protos: protos, mappings: mappings)
        defer { second.stop() }

        var admitted = [first.port: 0, second.port: 0]
        var refusals: [HTTPReply] = []
        for index in 0..<40 {
            let port = index % 2 == 0 ? first.port : second.port
            let head = "POST /v1/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"
            let reply = try HTTPReply(raw: try await RawHTTPClient.exchange(port: port, request: head, group: group))
            #expect([200, 429].contains(reply.status))
            if reply.status == 200 { admitted[port, default: 0] += 1 } else { refusals.append(reply) }
        }
        let total = admitted.values.reduce(0, +)
        #expect((20...21).contains(total), "20 admitted between the two instances, not 20 each; got \(admitted)")
        #expect(admitted[first.port]! > 0 && admitted[second.port]! > 0)
        #expect(refusals.allSatisfy { $0.header("retry-after").flatMap { Int($0) }.map { $0 > 0 } == true })
        #expect(refusals.first?.header("ratelimit-policy") == #""probe";q=20;w=3600"#)
        #expect(try await Self.keyCount(redis, group: group) == 1, "one key for the backend's limit of this client")

        first.stop()
        second.stop()
        try await backend.close()
        try await group.shutdownGracefully()
    }

    @Test func redisStoppedMidRunFailsOpenToLocalLimitsAndIsUsedAgainWhenBack() async throws {
        let redis = try await RedisServer.start()
        defer { redis.stop() }
        try await GatewayHarness.withProbe(mappings: try Self.mappings(redis: redis, failureMode: "open")) { gateway in
            for _ in 0..<5 {
                #expect(try await gateway.send("POST", "/v1/echo", body: "{}").status == 200)
            }
            #expect(try await Self.keyCount(redis, group: gateway.group) == 1)

            redis.stop()
            var statuses: [Int] = []
            for _ in 0..<22 {
                statuses.append(try await gateway.send("POST", "/v1/echo", body: "{}").status)
            }
            #expect(statuses == Array(repeating: 200, count: 20) + [429, 429], "the instance's own limiter decides while Redis is away")
            let metrics = gateway.server.metrics.exposition()
            #expect(metrics.contains(#"portico_rate_limit_redis_decisions_total{outcome="fallback"} 22"#))
            #expect(metrics.contains(#"portico_rate_limit_redis_decisions_total{outcome="allowed"} 5"#))

            let restarted = try await RedisServer.start(port: redis.port)
            defer { restarted.stop() }
            // Each event loop's pool reconnects after its own backoff; until then its requests fall back to the
            // exhausted local limiter (429). A 200 can only come from Redis.
            let admitted = try await RedisClientPolling.poll {
                let status = try? await gateway.send("POST", "/v1/echo", body: "{}").status
                return status == 200 ? status : nil
            }
            #expect(admitted == 200, "Redis decides again (the local limiter refuses)")
            #expect(try await Self.keyCount(restarted, group: gateway.group) == 1)
        }
    }

    @Test func redisStoppedMidRunFailsClosedWith503AndRecovers() async throws {
        let redis = try await RedisServer.start()
        defer { redis.stop() }
        try await GatewayHarness.withProbe(mappings: try Self.mappings(redis: redis, failureMode: "closed")) { gateway in
            #expect(try await gateway.send("POST", "/v1/echo", body: "{}").status == 200)

            redis.stop()
            let refused = try await gateway.send("POST", "/v1/echo", body: "{}")
            #expect(refused.status == 503)
            #expect(refused.header("retry-after") == "1")
            #expect(refused.body.contains("rate limits cannot be checked right now"))
            #expect(!refused.body.lowercased().contains("redis") && !refused.body.contains("127.0.0.1"), "the Redis error stays in the log")
            #expect(gateway.server.metrics.exposition().contains(#"portico_rate_limit_redis_decisions_total{outcome="error"} 1"#))

            let restarted = try await RedisServer.start(port: redis.port)
            defer { restarted.stop() }
            let recovered = try await RedisClientPolling.poll {
                let status = try? await gateway.send("POST", "/v1/echo", body: "{}").status
                return status == 200 ? status : nil
            }
            #expect(recovered == 200)
        }
    }
}

/// Polling for a state that follows a backoff, with a bound.
enum RedisClientPolling {
    /// Calls `attempt` until it gives a value, for at most a minute (a bound for a stalled machine, not a
    /// threshold: it returns as soon as the value comes).
    static func poll<Value>(_ attempt: () async -> Value?) async throws -> Value? {
        let clock = ContinuousClock()
        let end = clock.now + .seconds(60)
        while clock.now < end {
            if let value = await attempt() { return value }
            try await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }
}
