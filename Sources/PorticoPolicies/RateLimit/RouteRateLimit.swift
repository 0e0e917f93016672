public import PorticoConfig

/// Who is calling, as far as rate limits care.
public struct RateLimitCaller: Sendable {
    /// The client's address (see ``ClientAddress``).
    public var clientIP: String
    /// The authenticated caller's subject or client id, when authenticated.
    public var principal: String?
    /// The client id of the API key the caller presented, when it did.
    public var apiKeyClient: String?
    /// The plan of the caller's API key, when it has one.
    public var plan: String?

    public init(clientIP: String, principal: String? = nil, apiKeyClient: String? = nil, plan: String? = nil) {
        self.clientIP = clientIP
        self.principal = principal
        self.apiKeyClient = apiKeyClient
        self.plan = plan
    }
}

/// One route's rate limit, compiled: its policy, whose requests it counts, the plans that replace it, and
/// the scope its keys live in (the route's own limit, or the backend's limit shared by its routes).
public struct RouteRateLimit: Sendable {
    public let policy: RateLimitPolicy
    public let key: RateLimitKey
    /// `route:<selector>` or `backend:<name>`; callers get one bucket per scope.
    public let scope: String
    /// Plan policies by plan name.
    public let plans: [String: RateLimitPolicy]

    public init(rule: RateLimitRule, name: String, scope: String, plans: [String: RateLimitRule]) {
        policy = RateLimitPolicy(name: name, rule: rule)
        key = rule.key
        self.scope = scope
        self.plans = plans.reduce(into: [:]) { result, plan in
            result[plan.key] = RateLimitPolicy(name: plan.key, rule: plan.value)
        }
    }

    /// Counts one request of `caller` in `limiter`.
    public func decide(_ caller: RateLimitCaller, limiter: RateLimiter) -> RateLimitDecision {
        let bucket = bucket(of: caller)
        return limiter.acquire(key: bucket.key, policy: bucket.policy)
    }

    /// The key `caller`'s requests are counted under (scoped by route or backend, and by plan) and its policy.
    public func bucket(of caller: RateLimitCaller) -> (key: String, policy: RateLimitPolicy) {
        if let plan = caller.plan, let planPolicy = plans[plan] {
            let who = caller.apiKeyClient.map { "key:\($0)" } ?? caller.principal.map { "sub:\($0)" } ?? "ip:\(caller.clientIP)"
            return ("\(scope)|plan:\(plan)|\(who)", planPolicy)
        }
        let who: String
        switch key {
        case .clientIP:
            who = "ip:\(caller.clientIP)"
        case .principal:
            who = caller.principal.map { "sub:\($0)" } ?? "ip:\(caller.clientIP)"
        case .apiKey:
            who = caller.apiKeyClient.map { "key:\($0)" } ?? "ip:\(caller.clientIP)"
        }
        return ("\(scope)|\(who)", policy)
    }
}
