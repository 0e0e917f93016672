import PorticoConfig
import Testing

@Suite struct UpstreamSettingsTests {
    let loader = MappingsLoader(environment: ["PRODUCTS_ENDPOINTS": "10.0.0.1:50053, 10.0.0.2:50053"])

    @Test func readsEndpointsBalancerHealthChecksAndOutlierDetection() throws {
        let products = """
            backend:
              name: products
              endpoints: [10.0.0.1:50053, "[::1]:50054", products.internal:50055]
              resolve_interval: 10s
              balancer: { policy: ring_hash, hash_on: { header: X-User-Id } }
              health_check: { service: demo.products.v1.ProductService, interval: 2s, timeout: 500ms, healthy_threshold: 3, unhealthy_threshold: 4 }
              outlier_detection: { consecutive_failures: 7, base_ejection_time: 5s, max_ejection_time: 1m, max_ejected_percent: 30%, panic_threshold: 0.4 }
            """
        let backend = try #require(try loader.load(sources: [("products.yaml", products)]).backends.first)
        let upstream = backend.upstream
        #expect(upstream.endpoints.map(\.description) == ["10.0.0.1:50053", "[::1]:50054", "products.internal:50055"])
        #expect(backend.address.description == "10.0.0.1:50053")
        #expect(upstream.resolveInterval == .seconds(10))
        #expect(upstream.balancer == BalancerSettings(policy: .ringHash, hashOn: .header("x-user-id")))
        #expect(upstream.healthCheck == HealthCheckSettings(
            service: "demo.products.v1.ProductService", interval: .seconds(2), timeout: .milliseconds(500), healthyThreshold: 3, unhealthyThreshold: 4
        ))
        #expect(upstream.outlierDetection == OutlierDetectionSettings(
            consecutiveFailures: 7, baseEjectionTime: .seconds(5), maxEjectionTime: .seconds(60), maxEjectedShare: 0.3, panicThreshold: 0.4
        ))
    }

    @Test func oneAddressGetsTheDefaults() throws {
        let backend = try #require(try loader.load(sources: [("b.yaml", "backend: { name: b, address: 127.0.0.1:1 }")]).backends.first)
        #expect(backend.upstream == UpstreamSettings(endpoints: [backend.address]))
        #expect(backend.upstream.balancer.policy == .powerOfTwoChoices)
        #expect(backend.upstream.healthCheck == nil)
        #expect(backend.upstream.outlierDetection == OutlierDetectionSettings())
    }

    @Test func endpointsMayComeFromOneEnvironmentVariableAndChecksMayBeSwitchedOff() throws {
        let text = "backend: { name: b, endpoints: \"${PRODUCTS_ENDPOINTS}\", health_check: true, outlier_detection: off, balancer: round_robin }"
        let backend = try #require(try loader.load(sources: [("b.yaml", text)]).backends.first)
        #expect(backend.upstream.endpoints.map(\.description) == ["10.0.0.1:50053", "10.0.0.2:50053"])
        #expect(backend.upstream.healthCheck == HealthCheckSettings())
        #expect(backend.upstream.outlierDetection == nil)
        #expect(backend.upstream.balancer.policy == .roundRobin)
    }

    static let mistakes: [(String, String)] = [
        ("backend: { name: b, address: 127.0.0.1:1, endpoints: [127.0.0.1:2] }", "b.yaml:1:10: backend: a backend has either address (one host:port) or endpoints (a list), not both"),
        ("backend: { name: b, endpoints: [] }", "b.yaml:1:32: backend.endpoints: endpoints needs at least one host:port"),
        ("backend: { name: b, endpoints: [127.0.0.1:1, 127.0.0.1:1] }", "b.yaml:1:32: backend.endpoints: endpoint 127.0.0.1:1 is listed twice"),
        ("backend: { name: b, endpoints: [127.0.0.1] }", "b.yaml:1:33: backend.endpoints[0]: expected host:port, got \"127.0.0.1\""),
        ("backend: { name: b, address: 127.0.0.1:1, balancer: random }", "b.yaml:1:53: backend.balancer: balancer policy must be p2c, round_robin or ring_hash, got \"random\""),
        ("backend: { name: b, address: 127.0.0.1:1, balancer: ring_hash }", "b.yaml:1:53: backend.balancer: ring_hash needs hash_on: write balancer: { policy: ring_hash, hash_on: { header: x-user-id } }"),
        ("backend: { name: b, address: 127.0.0.1:1, balancer: { policy: ring_hash, hash_on: { claim: email } } }", "b.yaml:1:92: backend.balancer.hash_on.claim: claim must be sub, client_id or plan, got \"email\""),
        ("backend: { name: b, address: 127.0.0.1:1, balancer: { policy: p2c, hash_on: { header: x } } }", "b.yaml:1:77: backend.balancer.hash_on: hash_on applies to the ring_hash policy only"),
        ("backend: { name: b, address: 127.0.0.1:1, health_check: { interval: 1s, timeout: 2s } }", "b.yaml:1:57: backend.health_check: the health check timeout must not exceed its interval"),
        ("backend: { name: b, address: 127.0.0.1:1, outlier_detection: { ejection: 1s } }", "b.yaml:1:64: backend.outlier_detection.ejection: unknown key \"ejection\" (expected one of: base_ejection_time, consecutive_failures, max_ejected_percent, max_ejection_time, panic_threshold)"),
    ]

    @Test(arguments: mistakes)
    func reportsEachMistakeWithItsPosition(text: String, expected: String) {
        do {
            _ = try loader.load(sources: [("b.yaml", text)])
            Issue.record("expected an error")
        } catch {
            #expect(error.diagnostics.map(\.description) == [expected])
        }
    }
}
