import NIOCore
import NIOHTTP1
import PorticoConfig
import PorticoPolicies
import PorticoTesting
import Testing

@Suite struct ClientAddressTests {
    static let proxies = ["10.0.0.0/8", "::1"].compactMap(IPNetwork.init(parsing:))

    @Test(arguments: [
        ("10.1.1.1", ["203.0.113.7"], "203.0.113.7"),
        ("10.1.1.1", ["198.51.100.1, 203.0.113.7"], "203.0.113.7"),
        ("10.1.1.1", ["203.0.113.7, 10.2.2.2"], "203.0.113.7"),
        ("10.1.1.1", ["203.0.113.7", "10.2.2.2"], "203.0.113.7"),
        ("10.1.1.1", ["10.3.3.3, 10.2.2.2"], "10.3.3.3"),
        ("10.1.1.1", ["garbage, 10.2.2.2"], "10.2.2.2"),
        ("10.1.1.1", [], "10.1.1.1"),
        ("192.0.2.5", ["203.0.113.7"], "192.0.2.5"),
        ("::1", ["2001:db8::9"], "2001:db8::9"),
    ])
    func resolvesTheNearestUntrustedAddress(peer: String, forwardedFor: [String], expected: String) throws {
        var headers = HTTPHeaders()
        for value in forwardedFor { headers.add(name: "X-Forwarded-For", value: value) }
        let address = try SocketAddress(ipAddress: peer, port: 4000)
        #expect(ClientAddress(trustedProxies: Self.proxies).resolve(peer: address, headers: headers) == expected)
    }

    @Test func withoutTrustedProxiesTheHeaderIsIgnored() throws {
        let headers = HTTPHeaders([("X-Forwarded-For", "203.0.113.7")])
        let address = try SocketAddress(ipAddress: "10.1.1.1", port: 4000)
        #expect(ClientAddress(trustedProxies: []).resolve(peer: address, headers: headers) == "10.1.1.1")
    }
}

@Suite struct RouteRateLimitTests {
    @Test func keysFollowTheRuleAndPlansReplaceTheLimit() {
        let limiter = RateLimiter(capacity: 100, clock: ManualClock())
        let byPrincipal = RouteRateLimit(
            rule: RateLimitRule(limit: 1, period: .seconds(60), key: .principal),
            name: "orders", scope: "backend:orders",
            plans: ["gold": RateLimitRule(limit: 3, period: .seconds(60))]
        )
        let alice = RateLimitCaller(clientIP: "192.0.2.1", principal: "alice")
        let aliceElsewhere = RateLimitCaller(clientIP: "192.0.2.2", principal: "alice")
        #expect(byPrincipal.decide(alice, limiter: limiter).isAllowed)
        #expect(!byPrincipal.decide(aliceElsewhere, limiter: limiter).isAllowed, "one principal, one bucket, whatever the address")
        #expect(byPrincipal.decide(RateLimitCaller(clientIP: "192.0.2.1"), limiter: limiter).isAllowed, "anonymous callers count by address")

        let gold = RateLimitCaller(clientIP: "192.0.2.3", principal: "key-client", apiKeyClient: "key-client", plan: "gold")
        let decisions = (0..<4).map { _ in byPrincipal.decide(gold, limiter: limiter) }
        #expect(decisions.map(\.isAllowed) == [true, true, true, false])
        #expect(decisions[0].policyHeader == #""gold";q=3;w=60"#)

        let unknownPlan = RateLimitCaller(clientIP: "192.0.2.4", principal: "bob", plan: "platinum")
        #expect(byPrincipal.decide(unknownPlan, limiter: limiter).policy.name == "orders")
    }
}
