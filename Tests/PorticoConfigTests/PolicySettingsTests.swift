import PorticoConfig
import PorticoCore
import Testing

@Suite struct PolicySettingsTests {
    let loader = MappingsLoader(environment: [:])

    @Test func backendsInheritTheDefaultsKeyByKeyAndRoutesOverrideThem() throws {
        let gateway = """
            defaults:
              timeout: 3s
              auth: jwt
              rate_limit: { limit: 100, period: 1m, burst: 20, key: principal }
              circuit_breaker: { consecutive_failures: 3, open_for: 30s }
              retries: { attempts: 1, budget: 10% }
            rate_limits:
              max_keys: 5000
              plans:
                free: { limit: 10, period: 1m }
            client_ip:
              trusted_proxies: [10.0.0.0/8, "::1"]
            """
        let orders = """
            backend:
              name: orders
              address: 127.0.0.1:1
              circuit_breaker: { failure_ratio: off, max_concurrent_requests: 50, failure_codes: [UNAVAILABLE, resource_exhausted] }
              retries: off
            routes:
              - selector: a.S.M
                auth: any
                scopes: [orders:write]
                roles: admin
                rate_limit: off
                idempotent: true
            """
        let configuration = try loader.load(sources: [("gateway.yaml", gateway), ("orders.yaml", orders)])
        let settings = configuration.settings
        #expect(settings.policies.auth == AuthRequirement(mode: .jwt))
        #expect(settings.policies.rateLimit == .limit(RateLimitRule(limit: 100, period: .seconds(60), burst: 20, key: .principal)))
        #expect(settings.policies.circuitBreaker?.consecutiveFailures == 3)
        #expect(settings.policies.circuitBreaker?.openDuration == .seconds(30))
        #expect(settings.policies.circuitBreaker?.failureRatio == 0.5)
        #expect(settings.policies.retries?.attempts == 1)
        #expect(settings.policies.retries?.budget == 0.1)
        #expect(settings.rateLimits.maxKeys == 5000)
        #expect(settings.rateLimits.plans["free"] == RateLimitRule(limit: 10, period: .seconds(60)))
        #expect(settings.trustedProxies.map(\.description) == ["10.0.0.0/8", "::1"])

        let backend = try #require(configuration.backends.first)
        #expect(backend.policies.auth.mode == .jwt)
        #expect(backend.policies.circuitBreaker?.consecutiveFailures == 3)
        #expect(backend.policies.circuitBreaker?.failureRatio == nil)
        #expect(backend.policies.circuitBreaker?.maxConcurrentRequests == 50)
        #expect(backend.policies.circuitBreaker?.failureCodes == [.unavailable, .resourceExhausted])
        #expect(backend.policies.retries == nil)
        let route = try #require(backend.routeOptions.first)
        #expect(route.auth == .any)
        #expect(route.scopes == ["orders:write"])
        #expect(route.roles == ["admin"])
        #expect(route.rateLimit == .off)
        #expect(route.idempotent == true)
    }

    @Test func builtInDefaultsGuardEveryBackend() throws {
        let configuration = try loader.load(sources: [("orders.yaml", "backend: { name: orders, address: 127.0.0.1:1 }")])
        let policies = try #require(configuration.backends.first).policies
        #expect(policies.auth == .none)
        #expect(policies.rateLimit == .off)
        #expect(policies.circuitBreaker == CircuitBreakerSettings())
        #expect(policies.retries == RetrySettings())
    }

    static let mistakes: [(String, String, String)] = [
        ("gateway.yaml", "defaults:\n  auth: password", "gateway.yaml:2:9: defaults.auth: auth must be none, jwt, api_key, any or mtls, got \"password\""),
        ("gateway.yaml", "defaults:\n  rate_limit: { period: 1s }", "gateway.yaml:2:15: defaults.rate_limit: a rate limit needs a limit (requests per period)"),
        ("gateway.yaml", "defaults:\n  rate_limit: { limit: 0 }", "gateway.yaml:2:24: defaults.rate_limit.limit: expected a positive integer, got 0"),
        ("gateway.yaml", "defaults:\n  rate_limit: { limit: 5, key: user }", "gateway.yaml:2:32: defaults.rate_limit.key: key must be client_ip, principal or api_key, got \"user\""),
        ("gateway.yaml", "defaults:\n  retries: { budget: 120% }", "gateway.yaml:2:22: defaults.retries.budget: expected a share such as 20% or 0.2, got \"120%\""),
        ("gateway.yaml", "defaults:\n  retries: { attempts: 11 }", "gateway.yaml:2:24: defaults.retries.attempts: attempts must be at most 10"),
        ("gateway.yaml", "defaults:\n  circuit_breaker: { failure_codes: [UNAVAILABLE, OOPS] }", "gateway.yaml:2:51: defaults.circuit_breaker.failure_codes[1]: \"OOPS\" is not a gRPC status code name such as UNAVAILABLE"),
        ("gateway.yaml", "defaults:\n  circuit_breaker: { open_after: 3 }", "gateway.yaml:2:22: defaults.circuit_breaker.open_after: unknown key \"open_after\" (expected one of: consecutive_failures, failure_codes, failure_ratio, half_open_probes, max_concurrent_requests, minimum_requests, open_for, window)"),
        ("gateway.yaml", "client_ip:\n  trusted_proxies: [10.0.0.0/33]", "gateway.yaml:2:21: client_ip.trusted_proxies[0]: expected an address or a CIDR network such as 10.0.0.0/8, got \"10.0.0.0/33\""),
        ("b.yaml", "backend: { name: b, address: 127.0.0.1:1 }\nroutes:\n  - selector: a.S.M\n    idempotent: maybe", "b.yaml:4:17: routes[0].idempotent: expected true or false, got \"maybe\""),
    ]

    @Test(arguments: mistakes)
    func reportsEachMistakeWithItsPosition(file: String, text: String, expected: String) {
        do {
            _ = try loader.load(sources: [(file, text)])
            Issue.record("expected an error")
        } catch {
            #expect(error.diagnostics.map(\.description) == [expected])
        }
    }
}

@Suite struct IPNetworkTests {
    @Test(arguments: [
        ("10.0.0.0/8", "10.200.3.4", true),
        ("10.0.0.0/8", "11.0.0.1", false),
        ("192.168.1.0/25", "192.168.1.127", true),
        ("192.168.1.0/25", "192.168.1.128", false),
        ("127.0.0.1", "127.0.0.1", true),
        ("127.0.0.1", "::ffff:127.0.0.1", true),
        ("::1", "::1", true),
        ("2001:db8::/32", "2001:db8:ffff::1", true),
        ("2001:db8::/32", "2001:db9::1", false),
        ("0.0.0.0/0", "8.8.8.8", true),
        ("0.0.0.0/0", "::1", false),
    ])
    func matchesAddresses(network: String, address: String, contained: Bool) throws {
        let parsed = try #require(IPNetwork(parsing: network))
        let bytes = try #require(IPNetwork.addressBytes(address))
        #expect(parsed.contains(bytes) == contained)
    }

    @Test(arguments: ["10.0.0.0/33", "::1/129", "10.0.0/8", "host", "10.0.0.0/-1", ""])
    func rejectsMalformedNetworks(text: String) {
        #expect(IPNetwork(parsing: text) == nil)
    }
}
